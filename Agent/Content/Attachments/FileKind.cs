using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>How the engine reads a file.</summary>
internal enum FileKind
{
    /// <summary>No reader: AttachmentIsUnsupported.</summary>
    Unsupported,
    /// <summary>Plain text in some charset.</summary>
    Text,
    Html,
    Xml,
    Rtf,
    Pdf,
    /// <summary>Office Open XML: .docx, .xlsx, .pptx and their macro/template variants.</summary>
    OfficeOpenXml,
    /// <summary>OpenDocument: .odt, .ods, .odp (zip + content.xml).</summary>
    OpenDocument,
    Zip,
    /// <summary>An OLE compound file (legacy Office, or an encrypted Office Open XML document).</summary>
    CompoundFile,
    /// <summary>An RFC 5322 message (attached, or an .eml inside an archive).</summary>
    Message,
}
