using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Removes every field of our namespace (<see cref="AgentHeaders.Prefix"/>) from the top-level header block of mail
/// that came from outside, and copies everything else byte for byte. Streams line by line with no field count limit:
/// a forged verdict after 20,000 other fields is found like the first one. The header block ends where every raw
/// reader ends it (<see cref="HeaderLineSyntax"/>: at the first empty line, not at a line that is not a field), and
/// is bounded by the same limit (<see cref="RawHeaderBlock.MaxBytes"/>). Runs before every other transform of the copy,
/// so nothing we stamp afterwards can be mistaken for what the sender wrote.
/// </summary>
internal sealed class ForeignHeaderStripTransform : IMessageTransform
{
    /// <inheritdoc />
    public string Name => "strip-foreign-headers";

    /// <summary>
    /// How many of our fields the header block starting at the current position holds; reads the header block only
    /// and puts the stream back where it was.
    /// </summary>
    /// <exception cref="IOException">The header block exceeds <see cref="RawHeaderBlock.MaxBytes"/>: the message cannot be read.</exception>
    public static int CountForeignFields(Stream message)
    {
        Guard.NotNull(message);
        var start = message.Position;
        try
        {
            return Copy(message, destination: null, CancellationToken.None);
        }
        finally
        {
            message.Position = start;
        }
    }

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            Copy(Guard.NotNull(source), Guard.NotNull(destination), cancellationToken);
        }
        catch (MessageHeaderTooLargeException ex)
        {
            throw new MessageTransformException(ex.Message, ex);
        }
    }

    /// <summary>The removal itself; with no destination it only counts and stops at the end of the header block.</summary>
    private static int Copy(Stream source, Stream? destination, CancellationToken cancellationToken)
    {
        using var reader = new HeaderLineReader(source, source.Length - source.Position, RawHeaderBlock.MaxBytes);
        var removed = 0;
        var dropping = false;
        int length;
        while ((length = reader.ReadLine()) > 0)
        {
            var line = reader.Line;
            var content = HeaderLineSyntax.ContentLength(line, length);
            if (content == 0 && line[length - 1] == (byte)'\n')
            {
                destination?.Write(line, 0, length);
                break;
            }

            if (!HeaderLineSyntax.IsContinuation(line, length))
            {
                dropping = AgentHeaders.IsOurs(line, content);
                if (dropping)
                {
                    removed++;
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (!dropping)
            {
                destination?.Write(line, 0, length);
            }
        }

        if (destination is not null)
        {
            reader.CopyRest(destination, cancellationToken);
        }

        return removed;
    }
}
