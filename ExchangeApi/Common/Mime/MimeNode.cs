namespace Microsoft.Exchange.Data.Mime;

// The real base of every node of a parsed MIME document. Nothing of it is used by the agent; it exists so MimePart has
// the real base type.
public abstract class MimeNode
{
    internal MimeNode()
    {
    }
}
