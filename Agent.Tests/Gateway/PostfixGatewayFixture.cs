using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tool.Demo;
using MailKit.Net.Smtp;
using MimeKit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// The whole path with real components: Postfix (private instance) → `eea gateway` (content filter, the demo
/// policy and PKI) → Postfix re-injection → smtp-sink. Forced-TLS copies leave through a transport that requires
/// verified TLS (smtp_tls_security_level=secure) towards a Postfix smtpd that offers STARTTLS with a test
/// certificate and relays to the same sink (smtp-sink itself cannot speak TLS).
/// </summary>
public sealed class PostfixGatewayFixture : IDisposable
{
    /// <summary>The master.cf service name of the forced-TLS destination (to switch its STARTTLS off and on).</summary>
    internal string TlsDestinationService => $"127.0.0.1:{TlsDestinationPort}";

    public PostfixGatewayFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("eea-postfix-").FullName;
        try
        {
            ExternalTool.Run("chmod", new[] { "0755", Directory });
            Pki = DemoPki.Create(Path.Combine(Directory, "pki"));
            PolicyPath = Path.Combine(Directory, "policy.xml");
            File.Copy(Path.Combine(RepoPaths.Root, "Tool", "Demo", "demo-policy.xml"), PolicyPath);
            var tls = WriteTlsDestinationCertificate(Path.Combine(Directory, "tls"));

            var ports = FreePorts.Take(7);
            (EntryPort, InternetEntryPort, GatewayPort, GatewayInternetPort, ReinjectPort, ReinjectTlsPort, TlsDestinationPort) =
                (ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6]);
            Sink = new SmtpSink(Path.Combine(Directory, "sink"), FreePorts.Take(1)[0]);

            var tlsPolicy = Path.Combine(Directory, "tls", "tls_policy");
            File.WriteAllText(tlsPolicy, $"[127.0.0.1]:{TlsDestinationPort} secure match=destination.eea.test\n");
            Postfix = PostfixInstance.Start(Path.Combine(Directory, "postfix"), Sink.Port, GatewayServices(tls), EntryPort,
                new[] { $"smtp_tls_policy_maps = texthash:{tlsPolicy}" });

            Gateway = GatewayProcess.Start(
                "--policy", PolicyPath,
                "--listen", $"127.0.0.1:{GatewayPort}",
                "--listen-internet", $"127.0.0.1:{GatewayInternetPort}",
                "--reinject", $"127.0.0.1:{ReinjectPort}",
                "--reinject-tls", $"127.0.0.1:{ReinjectTlsPort}",
                "--spool", Path.Combine(Directory, "spool"),
                "--hostname", "gateway.eea.test");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Directory { get; }

    internal DemoPki Pki { get; }

    public string PolicyPath { get; }

    /// <summary>Where the tenant's connector delivers (mail submitted inside).</summary>
    public int EntryPort { get; }

    /// <summary>Where mail from the Internet arrives (MX).</summary>
    public int InternetEntryPort { get; }

    public int GatewayPort { get; }

    public int GatewayInternetPort { get; }

    public int ReinjectPort { get; }

    public int ReinjectTlsPort { get; }

    public int TlsDestinationPort { get; }

    internal SmtpSink Sink { get; }

    internal PostfixInstance Postfix { get; }

    internal GatewayProcess Gateway { get; }

    /// <summary>Sends <paramref name="mime"/> into Postfix on <paramref name="port"/>, as the tenant or the Internet would.</summary>
    public static void Send(int port, string mailFrom, string[] recipients, string mime)
    {
        using var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mime)));
        using var client = new SmtpClient { Timeout = 60000 };
        client.Connect("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        client.Send(message, MailboxAddress.Parse(mailFrom), recipients.Select(MailboxAddress.Parse));
        client.Disconnect(true);
    }

    public string Diagnostics() => $"gateway log:\n{Gateway?.Output()}\n\npostfix log:\n{Postfix?.ReadLog()}";

    public void Dispose()
    {
        Gateway?.Dispose();
        Postfix?.Dispose();
        Sink?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private string[] GatewayServices((string Ca, string Key, string Certificate) tls)
    {
        // Re-injection listeners skip what the first pass already did (receive_override_options, as FILTER_README shows).
        const string Reinjected = "-o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters";
        return new[]
        {
            $"127.0.0.1:{EntryPort} inet n - n - - smtpd -o content_filter=eea:[127.0.0.1]:{GatewayPort}",
            $"127.0.0.1:{InternetEntryPort} inet n - n - - smtpd -o content_filter=eea:[127.0.0.1]:{GatewayInternetPort}",
            "eea unix - - n - 4 smtp -o smtp_send_xforward_command=no -o disable_mime_output_conversion=yes",
            $"127.0.0.1:{ReinjectPort} inet n - n - - smtpd -o content_filter= {Reinjected}",
            $"127.0.0.1:{ReinjectTlsPort} inet n - n - - smtpd -o content_filter=smtp_tls:[127.0.0.1]:{TlsDestinationPort} {Reinjected}",
            $"smtp_tls unix - - n - - smtp -o smtp_tls_security_level=secure -o smtp_tls_CAfile={tls.Ca}",
            $"127.0.0.1:{TlsDestinationPort} inet n - n - - smtpd -o content_filter= -o smtpd_tls_security_level=may -o smtpd_tls_chain_files={tls.Key},{tls.Certificate}",
        };
    }

    /// <summary>The test PKI's root and a server certificate for destination.eea.test from it (readable by Postfix's smtpd).</summary>
    private static (string Ca, string Key, string Certificate) WriteTlsDestinationCertificate(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        ExternalTool.Run("chmod", new[] { "0755", directory });
        var pki = TestPki.Shared;
        var destination = pki.IssueTlsServer("destination.eea.test");
        File.WriteAllText(Path.Combine(directory, "ca.pem"), pki.Root.CertificatePem);
        File.WriteAllText(Path.Combine(directory, "destination.key"), destination.PrivateKeyPem);
        File.WriteAllText(Path.Combine(directory, "destination.pem"), destination.CertificatePem);
        ExternalTool.Run("chmod", new[] { "0644", Path.Combine(directory, "destination.key") });
        return (Path.Combine(directory, "ca.pem"), Path.Combine(directory, "destination.key"), Path.Combine(directory, "destination.pem"));
    }
}
