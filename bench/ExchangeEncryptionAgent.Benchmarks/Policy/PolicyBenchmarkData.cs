using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>Generated policies and messages shared by the policy benchmarks.</summary>
internal static class PolicyBenchmarkData
{
    public const string Ns = "urn:exchange-encryption-agent:policy:v1";

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <paramref name="count"/> rules of header and recipient conditions, the mix a real policy has: partner domains,
    /// scopes, sender domains, To/Cc, subject words, custom headers, importance, labels and message types, some with
    /// exceptions. A few of them match the typical message.
    /// </summary>
    public static string HeaderAndRecipientPolicy(int count)
    {
        var rules = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var conditions = (i % 10) switch
            {
                0 => $"<RecipientDomainIs><Value>partner{i}.example</Value><Value>fabrikam{i}.example</Value></RecipientDomainIs>",
                1 => $"<SentToScope>NotInOrganization</SentToScope><SubjectContainsWords><Value>project {i}</Value><Value>codename{i}</Value></SubjectContainsWords>",
                2 => $"<FromScope>InOrganization</FromScope><HeaderContainsWords Header=\"X-Classification\"><Value>secret{i}</Value></HeaderContainsWords>",
                3 => $"<SenderDomainIs><Value>division{i}.contoso.com</Value></SenderDomainIs>",
                4 => $"<AnyOfToCcHeader><Value>ceo{i}@contoso.com</Value></AnyOfToCcHeader>",
                5 => $"<SentTo><Value>user{i}@fabrikam.com</Value><Value>other{i}@fabrikam.com</Value></SentTo>",
                6 => $"<HasSensitivityLabel><Value>Label {i}</Value></HasSensitivityLabel>",
                7 => "<WithImportance><Value>Low</Value></WithImportance><MessageTypeMatches><Value>Calendaring</Value></MessageTypeMatches>",
                8 => $"<RecipientAddressMatchesPatterns><Value>^board{i}@</Value></RecipientAddressMatchesPatterns>",
                _ => i == 9 ? "<RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>" : $"<SubjectMatchesPatterns><Value>^\\[ticket-{i}\\]</Value></SubjectMatchesPatterns>",
            };
            var exceptions = i % 4 == 0 ? "<Exceptions><ExceptIfMessageTypeMatches><Value>Encrypted</Value></ExceptIfMessageTypeMatches></Exceptions>" : string.Empty;
            rules.Append(System.Globalization.CultureInfo.InvariantCulture, $"<Rule Name=\"Rule {i}\" Priority=\"{i}\"><Conditions>{conditions}</Conditions>{exceptions}<Actions><SetHeader Name=\"X-Rule-{i}\" Value=\"{i}\"/></Actions></Rule>");
        }

        return $"<Policy xmlns=\"{Ns}\"><Settings><OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains></Settings><Rules>{rules}</Rules></Policy>";
    }

    /// <summary>A typical business message of about <paramref name="size"/> bytes: text and HTML bodies and an attachment.</summary>
    public static byte[] TypicalMessage(int size = 50 * 1024)
    {
        var paragraph = "Dear team, please find below the weekly status of the programme, with the figures for each region and the actions agreed in Monday's meeting. ";
        var text = new StringBuilder();
        while (text.Length < size / 4)
        {
            text.Append(paragraph).Append("\r\n");
        }

        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<p style=\"font-family:Calibri\">" + paragraph + "</p>\r\n", size / 4 / (paragraph.Length + 40))) + "</body></html>";
        var attachment = Convert.ToBase64String(new byte[size / 4], Base64FormattingOptions.InsertLineBreaks);
        var eml = new StringBuilder();
        eml.Append("Received: from mail.contoso.com by edge.contoso.com; Sun, 01 Jun 2025 12:00:00 +0000\r\n");
        eml.Append("From: Alice Example <alice@contoso.com>\r\nTo: Bob <bob@fabrikam.com>, Carol <carol@contoso.com>\r\nCc: dave@fabrikam.com\r\n");
        eml.Append("Subject: Weekly status: programme figures\r\nDate: Sun, 01 Jun 2025 12:00:00 +0000\r\nMessage-ID: <status@contoso.com>\r\n");
        eml.Append("X-Mailer: Microsoft Outlook 16.0\r\nX-Classification: internal\r\nImportance: normal\r\nThread-Topic: Weekly status\r\n");
        eml.Append("msip_labels: MSIP_Label_11111111-2222-3333-4444-555555555555_Enabled=true; MSIP_Label_11111111-2222-3333-4444-555555555555_Name=General\r\n");
        eml.Append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n");
        eml.Append("--m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n");
        eml.Append("--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").Append(text).Append("\r\n");
        eml.Append("--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n").Append(html).Append("\r\n--a--\r\n");
        eml.Append("--m\r\nContent-Type: application/pdf; name=\"status.pdf\"\r\nContent-Disposition: attachment; filename=\"status.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        eml.Append(attachment).Append("\r\n--m--\r\n");
        return Encoding.UTF8.GetBytes(eml.ToString());
    }

    /// <summary>A plain-text message whose decoded body is <paramref name="bodyBytes"/> bytes of prose without the searched words.</summary>
    public static byte[] LargeTextMessage(int bodyBytes)
    {
        var words = "the quick brown fox jumps over the lazy dog while accounting reviews quarterly numbers and regional sales ";
        var body = new StringBuilder(bodyBytes + words.Length);
        var line = 0;
        while (body.Length < bodyBytes)
        {
            body.Append(words);
            if (++line % 2 == 0)
            {
                body.Append("\r\n");
            }
        }

        var eml = "From: alice@contoso.com\r\nTo: bob@fabrikam.com\r\nSubject: Report\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
        return Encoding.UTF8.GetBytes(eml);
    }

    public static MessageContext Context(byte[] eml)
    {
        var envelope = new MessageEnvelope("alice@contoso.com", new[]
        {
            new EnvelopeRecipientInput("bob@fabrikam.com"),
            new EnvelopeRecipientInput("carol@contoso.com"),
            new EnvelopeRecipientInput("dave@fabrikam.com"),
        });
        return MessageContext.Create(envelope, new MemoryStream(eml, writable: false), leaveOpen: false);
    }
}
