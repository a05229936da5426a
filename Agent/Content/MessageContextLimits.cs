using System;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>Bounds on what the engine reads from one message; they keep hostile mail cheap.</summary>
internal static class MessageContextLimits
{
    /// <summary>MIME nesting deeper than this is treated as an opaque leaf (MimeKit ParserOptions.MaxMimeDepth).</summary>
    public const int MaxMimeDepth = 64;

    /// <summary>
    /// Header conditions see the first this many top-level header fields; later ones are not even parsed, except the
    /// fields that shape the message (HeaderFieldLimiter).
    /// </summary>
    public const int MaxIndexedHeaders = 10_000;

    /// <summary>
    /// Header conditions see at most this many characters of one header value. Exchange refuses header blocks over
    /// 256 KB by default (receive connector MaxHeaderSize), and parsing one field costs time that grows faster than
    /// its length (many folded lines), so longer fields are cut before parsing (HeaderFieldLimiter).
    /// </summary>
    public const int MaxHeaderValueChars = 64 * 1024;

    /// <summary>Body conditions see at most this many decoded bytes of body text (all body parts together).</summary>
    public const long MaxBodyTextBytes = 32L * 1024 * 1024;

    /// <summary>A TNEF part (winmail.dat) larger than this as transferred is unreadable: its content is held in memory.</summary>
    public const long MaxTnefBytes = 64L * 1024 * 1024;

    /// <summary>TNEF inside TNEF (embedded Outlook items) deeper than this is unreadable.</summary>
    public const int MaxTnefDepth = 4;

    /// <summary>At most this many TNEF parts are read in one message; more are unreadable.</summary>
    public const int MaxTnefParts = 32;

    /// <summary>
    /// At most this many MIME entities (multiparts, leaves, attached messages, TNEF content included) are examined in
    /// one message; the rest is unreadable, so conditions on structure and content are rule errors. Real mail has
    /// tens; a message of thousands of tiny parts costs the walk tens of microseconds each.
    /// </summary>
    public const int MaxMimeParts = 10_000;
}
