namespace ExchangeEncryptionAgent.Content;

/// <summary>A transform could not process the message (malformed content, crypto failure). Never carries secrets.</summary>
internal sealed class MessageTransformException : System.Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageTransformException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public MessageTransformException(string message, System.Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MessageTransformException()
    {
    }
}
