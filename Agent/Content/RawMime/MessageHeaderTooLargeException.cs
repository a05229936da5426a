using System.IO;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>The header block exceeded the size limit (an IOException: the message cannot be read as a message).</summary>
internal sealed class MessageHeaderTooLargeException : IOException
{
    public MessageHeaderTooLargeException(long limit)
        : base($"The message header block is larger than {limit} bytes.")
    {
    }
}
