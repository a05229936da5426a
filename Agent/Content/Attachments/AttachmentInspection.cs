using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>What inspecting one attachment found: its files (itself first) and what could not be read, and why.</summary>
internal sealed class AttachmentInspection
{
    internal AttachmentInspection(IReadOnlyList<InspectedFile> files, string? unsupported, string? passwordProtected, string? limitExceeded)
    {
        Files = files;
        Unsupported = unsupported;
        PasswordProtected = passwordProtected;
        LimitExceeded = limitExceeded;
    }

    /// <summary>The attachment and every file found inside it, in the order found.</summary>
    public IReadOnlyList<InspectedFile> Files { get; }

    /// <summary>The path of the first file of a type the engine cannot read text from (AttachmentIsUnsupported); null when none.</summary>
    public string? Unsupported { get; }

    /// <summary>The path of the first encrypted file (AttachmentIsPasswordProtected); null when none.</summary>
    public string? PasswordProtected { get; }

    /// <summary>Why inspection did not complete (AttachmentProcessingLimitExceeded); null when it completed.</summary>
    public string? LimitExceeded { get; }
}
