using System;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>Inspection went past one of <see cref="AttachmentInspectionLimits"/>; caught by the inspector, never escapes it.</summary>
[Serializable]
internal sealed class InspectionLimitException : Exception
{
    public InspectionLimitException(string message)
        : base(message)
    {
    }

    public InspectionLimitException()
    {
    }

    public InspectionLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
