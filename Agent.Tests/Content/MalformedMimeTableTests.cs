using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Support;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Content;

/// <summary>
/// Malformed MIME, one row an input, one expected answer a row, checked on every reader of raw MIME: the inbound path
/// (the walker's reader, the multipart scanner, <see cref="InboundSmimeTransform"/>) and the outbound path (the
/// forged-field strip, the header edit that stamps X-EEA-Policy, and the evaluation's MimeKit parse). Two readers that
/// disagree on where a header block ends, or on which line is a field, let a forged verdict through one of them.
/// </summary>
[Collection(InboundPkiGroup.Name)]
public sealed class MalformedMimeTableTests
{
    private const string From = "From: Mallory <mallory@tailspin.example>";
    private const string Signed = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"";
    private const string SignaturePart = "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n";

    private static readonly Encoding Latin1 = Encoding.Latin1;

    private static readonly Dictionary<string, Row> Rows = new Row[]
    {
        // A body that starts without the empty line: MimeKit reads every line up to an empty line as header, and so do we.
        new("no blank line after headers", From + "\r\nSubject: s\r\nHello, this is the body\r\nX-EEA-Signature: valid\r\n", Fields: 4, Forged: 1),
        new("bare LF", From + "\nX-EEA-Signature: valid\nSubject: s\n\nbody\n", Fields: 3, Forged: 1),

        // A bare CR ends no line (RFC 5322 §2.3; MimeKit agrees): what follows it is part of the From value, not a field.
        new("bare CR", From + "\rX-EEA-Signature: valid\r\nSubject: s\r\n\r\nbody\r\n", Fields: 2, Forged: 0),
        new("mixed line endings", From + "\r\nX-EEA-Signature: valid\nSubject: s\r\nX-EEA-Decryption: decrypted\r\n\nbody\r\n", Fields: 4, Forged: 2),
        new("header line without colon", From + "\r\nNo colon on this line\r\nX-EEA-Decryption: decrypted\r\n\r\nbody\r\n", Fields: 3, Forged: 1),
        new("space before colon", From + "\r\nX-EEA-Signature : valid\r\nSubject : s\r\n\r\nbody\r\n", Fields: 3, Forged: 1),
        new("space inside a field name", From + "\r\nX EEA: not a field\r\nX-EEA-Policy: forged\r\n\r\nbody\r\n", Fields: 3, Forged: 1),

        // MimeKit refuses a header block that starts with a continuation: the evaluation reports the content unreadable.
        new("continuation line first", " folded before any field\r\n" + From + "\r\nX-EEA-Signature: valid\r\n\r\nbody\r\n", Fields: 3, Forged: 1, MimeKitReads: false),
        new("field over the size limit", From + "\r\nX-Big: " + new string('a', (int)RawHeaderBlock.MaxBytes) + "\r\nX-EEA-Signature: valid\r\n\r\nbody\r\n", Outcome: Outcome.TooLarge),
        new("NUL bytes", From + "\r\nX-N\0l: v\r\nX-EEA-Policy: x\0y\r\n\r\nbo\0dy\r\n", Fields: 3, Forged: 1),

        // No field to MimeKit, but it starts with our prefix: removed all the same (a laxer reader could show it).
        new("8-bit in header names", From + "\r\nX-\u00e9t\u00e9: v\r\nX-EEA-S\u00efgnature: valid\r\n\r\nbody\r\n", Fields: 3, Forged: 1),
        new("unterminated multipart", From + "\r\n" + Signed + "\r\n\r\nonly a preamble, no delimiter\r\n", Fields: 2, Forged: 0, Parts: 0),
        new("boundary with trailing whitespace", From + "\r\n" + Signed + "\r\n\r\n--b \t\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b  \r\n" + SignaturePart + "--b-- \r\n", Fields: 2, Forged: 0, Parts: 2),
        new("missing final boundary", From + "\r\n" + Signed + "\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n" + SignaturePart, Fields: 2, Forged: 0, Parts: 2),
        new("nested beyond the limit", Nested(MessageContextLimits.MaxMimeDepth + 6), Fields: 3, Forged: 1, Outcome: Outcome.TooDeep),
        new("empty message", string.Empty, Fields: 0, Forged: 0, MimeKitReads: false),
        new("only headers", From + "\r\nX-EEA-Signature: valid\r\nSubject: s", Fields: 3, Forged: 1),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);

    private readonly InboundTestPki _pki;

    public MalformedMimeTableTests(InboundTestPki pki) => _pki = pki;

    public static TheoryData<string> Names => new(Rows.Keys);

    private enum Outcome
    {
        Read,
        TooLarge,
        TooDeep,
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void InboundPath_GivesTheRowsAnswer(string name)
    {
        var row = Rows[name];
        var transform = new InboundSmimeTransform(new InboundSmimeOptions { Verify = new VerifySmimeAction() }, _pki.Directory(), new CollectingAgentLog());
        if (row.Outcome == Outcome.TooLarge)
        {
            Assert.Throws<MessageHeaderTooLargeException>(() => MimeSlice.ReadAll(new MemoryStream(row.Bytes)));
            Assert.Throws<MessageTransformException>(() => transform.Apply(new MemoryStream(row.Bytes), new MemoryStream(), default));
            return;
        }

        var slice = MimeSlice.ReadAll(new MemoryStream(row.Bytes));
        Assert.Equal(row.Fields, slice.Headers.Fields.Count);
        Assert.Equal(row.BodyOffset, slice.Headers.BodyOffset);
        if (row.Parts is { } parts)
        {
            Assert.Equal(parts, MultipartBodyScanner.FindParts(slice, 100).Count);
        }

        var log = new CollectingAgentLog();
        transform = new InboundSmimeTransform(new InboundSmimeOptions { Verify = new VerifySmimeAction() }, _pki.Directory(), log);
        using var output = new MemoryStream();
        transform.Apply(new MemoryStream(row.Bytes), output, default);

        Assert.Equal(row.Forged, transform.Result!.ForgedHeadersRemoved);
        Assert.Equal(row.Forged > 0, log.Has(EventIds.ForgedVerdictHeadersRemoved));
        var stamped = transform.Result.Signature is null ? Array.Empty<string>() : new[] { AgentHeaders.Signature };
        AssertOnlyOurFields(output.ToArray(), row, stamped);
        Assert.Equal(row.Outcome == Outcome.TooDeep, log.Has(EventIds.SmimeNestingTooDeep));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OutboundPath_GivesTheRowsAnswer(string name)
    {
        var row = Rows[name];
        var strip = new ForeignHeaderStripTransform();
        var stamp = new HeaderEditTransform(new[] { HeaderEdit.Set(AgentHeaders.Policy, "v=1; rules=\"Table\"") });
        using var context = MessageContext.Create(
            new MessageEnvelope("mallory@tailspin.example", new[] { new EnvelopeRecipientInput("ed@contoso.example") }),
            new MemoryStream(row.Bytes));
        if (row.Outcome == Outcome.TooLarge)
        {
            Assert.Throws<MessageHeaderTooLargeException>(() => ForeignHeaderStripTransform.CountForeignFields(new MemoryStream(row.Bytes)));
            Assert.Throws<MessageTransformException>(() => strip.Apply(new MemoryStream(row.Bytes), new MemoryStream(), default));
            Assert.Throws<MessageTransformException>(() => stamp.Apply(new MemoryStream(row.Bytes), new MemoryStream(), default));
            Assert.True(context.ParseFailed);
            Assert.Contains(nameof(MessageHeaderTooLargeException), context.ParseError, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(row.Forged, ForeignHeaderStripTransform.CountForeignFields(new MemoryStream(row.Bytes)));
        var stripped = Apply(strip, row.Bytes);
        var block = RawHeaderBlock.Read(new MemoryStream(stripped));
        Assert.Equal(row.Fields - row.Forged, block.Fields.Count);
        Assert.Equal(row.Body, stripped[(int)block.BodyOffset..]);
        AssertOnlyOurFields(Apply(stamp, stripped), row, new[] { AgentHeaders.Policy });

        // The evaluation parses with MimeKit, through the same header reader (HeaderFieldLimiter); it must see the same
        // header block: as many fields, ending at the same offset.
        Assert.Equal(!row.MimeKitReads, context.ParseFailed);
        if (row.MimeKitReads)
        {
            var message = context.Message!;
            Assert.Equal(row.Fields, message.Headers.Count + (message.Body?.Headers.Count ?? 0));
            Assert.Equal(row.BodyOffset, MimeKitBodyOffset(row.Bytes));
            if (row.Parts is { } parts)
            {
                Assert.Equal(parts, Assert.IsAssignableFrom<Multipart>(message.Body).Count);
            }
        }

        Assert.Equal(row.Outcome == Outcome.TooDeep, context.NestingLimitReached);
        Assert.Equal(row.Outcome == Outcome.TooDeep, context.UnreadableContent is not null);
    }

    /// <summary>The agent's fields of a result, read by our reader and (where it can) by MimeKit: only what we stamped.</summary>
    private static void AssertOnlyOurFields(byte[] output, Row row, string[] stamped)
    {
        var ours = RawHeaderBlock.Read(new MemoryStream(output)).Fields.Where(f => f.IsAgentField).Select(f => f.Name).ToList();
        Assert.Equal(stamped, ours);
        if (row.MimeKitReads)
        {
            var parsed = MimeMessage.Load(new MemoryStream(output));
            Assert.Equal(stamped, parsed.Headers.Where(h => h.Field.StartsWith(AgentHeaders.Prefix, StringComparison.OrdinalIgnoreCase)).Select(h => h.Field));
        }
    }

    private static byte[] Apply(IMessageTransform transform, byte[] message)
    {
        using var output = new MemoryStream();
        transform.Apply(new MemoryStream(message), output, CancellationToken.None);
        return output.ToArray();
    }

    /// <summary>Where MimeKit's parser says the top-level header block ends, over the stream the evaluation parses.</summary>
    private static long MimeKitBodyOffset(byte[] message)
    {
        var parser = new MimeParser(HeaderFieldLimiter.ForParsing(new MemoryStream(message), 0, out _), MimeFormat.Entity);
        long offset = -1;
        parser.MimeMessageEnd += (_, e) => offset = e.HeadersEndOffset;
        parser.ParseMessage();
        return offset;
    }

    /// <summary>multipart/signed inside multipart/signed, <paramref name="depth"/> deep, with a forged verdict on top.</summary>
    private static string Nested(int depth)
    {
        var entity = "Content-Type: text/plain\r\n\r\nthe innermost text\r\n";
        for (var i = 0; i < depth; i++)
        {
            var boundary = "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            entity = Signed.Replace("\"b\"", "\"" + boundary + "\"", StringComparison.Ordinal) + "\r\n\r\n--" + boundary + "\r\n" + entity
                + "--" + boundary + "\r\n" + SignaturePart + "--" + boundary + "--\r\n";
        }

        return From + "\r\nX-EEA-Signature: valid\r\n" + entity;
    }

    private sealed record Row(string Name, string Text, int Fields = 0, int Forged = 0, int? Parts = null, Outcome Outcome = Outcome.Read, bool MimeKitReads = true)
    {
        public byte[] Bytes { get; } = Latin1.GetBytes(Text);

        /// <summary>Where the body starts: after the first empty line (LF or CRLF alone), or at the end.</summary>
        public long BodyOffset
        {
            get
            {
                var text = Text;
                for (var i = 0; i < text.Length; i++)
                {
                    if (text[i] == '\n' && (i == 0 || text[i - 1] == '\n' || (text[i - 1] == '\r' && (i == 1 || text[i - 2] == '\n'))))
                    {
                        return i + 1;
                    }
                }

                return text.Length;
            }
        }

        public byte[] Body => Bytes[(int)BodyOffset..];
    }
}
