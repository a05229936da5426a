using System;

namespace Microsoft.Exchange.Data.Mime;

// One part of a parsed MIME document. The agent only asks whether EmailMessage.TnefPart is set (content still
// Summary-TNEF) and, for diagnostics, its content type. Members as in the real 15.0.1474.0 assembly.
public class MimePart : MimeNode, IDisposable
{
    public MimePart()
        : this("text/plain")
    {
    }

    public MimePart(string contentType)
    {
        ContentType = contentType ?? throw new ArgumentNullException(nameof(contentType));
    }

    public string ContentType { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
