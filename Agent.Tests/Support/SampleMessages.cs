using System.Text;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>Small hand-written messages; the property tests generate the varied corpus.</summary>
internal static class SampleMessages
{
    public const string OuterHeaders =
        "Received: from mail.contoso.example by gw.contoso.example; Mon, 1 Jan 2024 10:00:00 +0000\r\n" +
        "From: Carol <carol@contoso.example>\r\n" +
        "To: Alice <alice@fabrikam.example>\r\n" +
        "Subject: Quarterly numbers\r\n" +
        "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n" +
        "Message-ID: <1@contoso.example>\r\n";

    public const string EntityHeaders =
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n";

    public const string Body =
        "This is a multi-part message in MIME format.\r\n" +
        "--b1\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Gr\u00fc\u00dfe aus K\u00f6ln \u2013 the numbers are attached.\r\n" +
        "From the desk of Carol\r\n" +
        "--b1\r\n" +
        "Content-Type: application/octet-stream; name=\"numbers.bin\"\r\n" +
        "Content-Disposition: attachment; filename=\"numbers.bin\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\r\n" +
        "--b1--\r\n";

    /// <summary>A multipart/mixed message with an 8bit UTF-8 text part and a base64 attachment.</summary>
    public static byte[] Mixed => Encoding.UTF8.GetBytes(OuterHeaders + EntityHeaders + "\r\n" + Body);

    /// <summary>The body entity of <see cref="Mixed"/>: its Content-* field, the empty line, the body.</summary>
    public static byte[] MixedEntity => Encoding.UTF8.GetBytes("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" + Body);
}
