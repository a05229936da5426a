using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// One step that turns a complete RFC 5322 message into another (rewrite headers, sign, encrypt, decrypt...).
/// Transforms stream: memory must not grow with message size. The pipeline chains them through temporary files.
/// </summary>
internal interface IMessageTransform
{
    /// <summary>A short name for logs and plans (for example "encrypt", "sign", "headers").</summary>
    string Name { get; }

    /// <summary>
    /// Reads the whole message from <paramref name="source"/> (readable, seekable, positioned at 0) and writes the
    /// result to <paramref name="destination"/> (write-only; may not seek). Throws
    /// <see cref="MessageTransformException"/> for content it cannot process.
    /// </summary>
    void Apply(Stream source, Stream destination, CancellationToken cancellationToken);
}
