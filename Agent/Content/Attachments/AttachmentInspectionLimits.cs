using System;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// Bounds on attachment inspection, per top-level attachment. What goes past one of them is "could not inspect"
/// (AttachmentProcessingLimitExceeded), never an exception and never a partial answer taken for a whole one.
/// </summary>
internal static class AttachmentInspectionLimits
{
    /// <summary>
    /// Containers (archives, attached messages) opened inside one another; the attachment itself is level 0, so a zip
    /// in a zip is level 2. Exchange does not publish its own depth; five covers real archives and stops bombs.
    /// </summary>
    public const int MaxContainerDepth = 5;

    /// <summary>Files (archive entries, attachments of attached messages) looked at in one attachment.</summary>
    public const int MaxFiles = 1000;

    /// <summary>Bytes expanded from archives and spooled for parsing, all files of one attachment together.</summary>
    public const long MaxExpandedBytes = 100L * 1024 * 1024;

    /// <summary>Spools up to this size stay in memory; larger ones go to a temporary file deleted on close.</summary>
    public const int MaxInMemorySpoolBytes = 1024 * 1024;

    /// <summary>Pages read from one PDF.</summary>
    public const int MaxPdfPages = 2000;

    /// <summary>Wall-clock bound on one attachment's inspection: a safety net behind the size bounds for hostile documents.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(10);
}
