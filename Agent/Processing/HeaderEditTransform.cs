using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Applies header edits (SetHeader, RemoveHeader, PrependSubject, our X-EEA-* stamps) to the top-level header
/// block and copies the body byte for byte, so a signed or encrypted body is never touched.
/// </summary>
internal sealed class HeaderEditTransform : IMessageTransform
{
    private readonly IReadOnlyList<HeaderEdit> _edits;

    /// <summary>Creates the transform; edits apply in order.</summary>
    public HeaderEditTransform(IReadOnlyList<HeaderEdit> edits)
    {
        _edits = Guard.NotNull(edits);
    }

    /// <inheritdoc />
    public string Name => "headers";

    /// <summary>The edits, in order.</summary>
    public IReadOnlyList<HeaderEdit> Edits => _edits;

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        RawHeaderBlock block;
        try
        {
            block = RawHeaderBlock.Read(source);
        }
        catch (MessageHeaderTooLargeException ex)
        {
            throw new MessageTransformException(ex.Message, ex);
        }

        var fields = block.Fields.ToList();
        foreach (var edit in _edits)
        {
            edit.Apply(fields, block.LineEnding);
        }

        block.WriteMessage(source, fields, destination);
    }
}
