using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>Builds and inspects test messages; runs openssl and the inbound transform.</summary>
internal static class SmimeTestMessages
{
    public static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>A canonical (CRLF) MIME entity with a marker text that must never leak from a failed decryption.</summary>
    public static byte[] Entity(string marker = "The secret plan is in the attachment.")
        => Latin1.GetBytes(
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: 7bit\r\n" +
            "\r\n" +
            "Hello Alice,\r\n" + marker + "\r\n" +
            "-- \r\nBob\r\n");

    /// <summary>Runs openssl in the PKI folder and fails the test on a non-zero exit.</summary>
    public static void OpenSsl(InboundTestPki pki, params string[] arguments)
    {
        var result = ExternalTool.OpenSsl(pki.Folder, arguments);
        Assert.True(result.ExitCode == 0, "openssl " + string.Join(' ', arguments) + "\n" + result);
    }

    /// <summary>openssl cms -encrypt of <paramref name="entity"/> to the certificates, as an S/MIME message from Bob to Alice.</summary>
    public static byte[] OpenSslEncrypt(InboundTestPki pki, byte[] entity, string cipher, bool oaep, params string[] recipientFiles)
    {
        var name = "enc-" + Guid.NewGuid().ToString("N");
        pki.Write(name + ".in", entity);
        var arguments = new List<string>
        {
            "cms", "-encrypt", "-" + cipher, "-binary", "-in", name + ".in", "-outform", "SMIME", "-out", name + ".eml",
            "-from", InboundTestPki.SenderAddress, "-to", InboundTestPki.RecipientAddress, "-subject", "Quarterly figures",
        };
        foreach (var recipient in recipientFiles)
        {
            arguments.Add("-recip");
            arguments.Add(recipient);
            if (oaep)
            {
                arguments.AddRange(new[] { "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256" });
            }
        }

        OpenSsl(pki, arguments.ToArray());
        return pki.Read(name + ".eml");
    }

    /// <summary>openssl cms -sign (detached unless <paramref name="opaque"/>), as an S/MIME message from <paramref name="from"/>.</summary>
    public static byte[] OpenSslSign(InboundTestPki pki, byte[] entity, string signerCertificate, string signerKey, bool pss = false, bool opaque = false,
        string from = InboundTestPki.SenderAddress, string? extraCertificates = "inter.crt")
    {
        var name = "sig-" + Guid.NewGuid().ToString("N");
        pki.Write(name + ".in", entity);
        var arguments = new List<string>
        {
            "cms", "-sign", "-binary", "-in", name + ".in", "-signer", signerCertificate, "-inkey", signerKey, "-md", "sha256",
            "-outform", "SMIME", "-out", name + ".eml", "-from", from, "-to", InboundTestPki.RecipientAddress, "-subject", "Signed figures",
        };
        if (extraCertificates is not null)
        {
            arguments.AddRange(new[] { "-certfile", extraCertificates });
        }

        if (pss)
        {
            arguments.AddRange(new[] { "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest" });
        }

        if (opaque)
        {
            arguments.Add("-nodetach");
        }

        OpenSsl(pki, arguments.ToArray());
        return pki.Read(name + ".eml");
    }

    /// <summary>The runs of the transform: output bytes, its result and the events.</summary>
    public sealed record Run(byte[] Output, InboundSmimeResult Result, CollectingAgentLog Log)
    {
        public string Text => Latin1.GetString(Output);

        public string? Header(string name) => SmimeTestMessages.Header(Output, name);

        public byte[] Body => SmimeTestMessages.Body(Output);
    }

    public static Run Transform(byte[] message, InboundSmimeOptions options, ICertificateDirectory directory)
    {
        var log = new CollectingAgentLog();
        var transform = new InboundSmimeTransform(options, directory, log);
        using var source = new MemoryStream(message, writable: false);
        using var destination = new MemoryStream();
        transform.Apply(source, destination, default);
        return new Run(destination.ToArray(), transform.Result!, log);
    }

    /// <summary>The unfolded value of the first top-level header called <paramref name="name"/>.</summary>
    public static string? Header(byte[] message, string name)
    {
        var text = Latin1.GetString(message, 0, HeaderEnd(message));
        var unfolded = text.Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal)
            .Replace("\n ", " ", StringComparison.Ordinal).Replace("\n\t", " ", StringComparison.Ordinal);
        foreach (var line in unfolded.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && string.Equals(line[..colon], name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public static int HeaderCount(byte[] message, string name)
        => Latin1.GetString(message, 0, HeaderEnd(message)).Split('\n')
            .Count(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>The bytes after the first empty line.</summary>
    public static byte[] Body(byte[] message)
    {
        var end = HeaderEnd(message);
        var skip = message[end] == (byte)'\r' ? 2 : 1;
        return message.AsSpan(end + skip).ToArray();
    }

    /// <summary>Offset of the empty line ending the top-level header block.</summary>
    public static int HeaderEnd(byte[] message)
    {
        for (var i = 0; i < message.Length; i++)
        {
            if ((i == 0 || message[i - 1] == (byte)'\n') && (message[i] == (byte)'\n' || (message[i] == (byte)'\r' && i + 1 < message.Length && message[i + 1] == (byte)'\n')))
            {
                return i;
            }
        }

        return message.Length;
    }

    /// <summary>Decodes the base64 body of a single-part S/MIME message, changes the DER, and encodes it back.</summary>
    public static byte[] MutateCms(byte[] message, Func<byte[], byte[]> mutate)
    {
        var end = HeaderEnd(message);
        var headers = message.AsSpan(0, end).ToArray();
        var der = Convert.FromBase64String(Latin1.GetString(Body(message)).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        var changed = Convert.ToBase64String(mutate(der), Base64FormattingOptions.InsertLineBreaks);
        return headers.Concat(Latin1.GetBytes("\r\n" + changed.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n")).ToArray();
    }

    /// <summary>Replaces the first occurrence of <paramref name="from"/> in the text of <paramref name="message"/>.</summary>
    public static byte[] ReplaceText(byte[] message, string from, string to)
    {
        var text = Latin1.GetString(message);
        var index = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(index >= 0, "text to replace not found: " + from);
        return Latin1.GetBytes(text[..index] + to + text[(index + from.Length)..]);
    }

    public static bool Contains(byte[] haystack, string needle) => Latin1.GetString(haystack).Contains(needle, StringComparison.Ordinal);

    public static AgentEvent[] EventsOf(Run run) => run.Log.Entries.Select(e => e.Event).ToArray();
}
