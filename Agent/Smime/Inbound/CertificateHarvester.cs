using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Stores the certificate of a validly signing external sender as a PEM file in HarvestingSettings.Folder, so replies
/// can be encrypted to it; the certificate directory loads that folder as CertificateTrust.Harvested partner
/// certificates on its next reload, and a rule can demand more than harvested trust. Off by default.
/// </summary>
internal sealed class CertificateHarvester
{
    private readonly HarvestingSettings _settings;
    private readonly IAgentLog _log;
    private readonly string? _folder;
    private readonly Func<X509Certificate, bool> _isConfigured;

    /// <summary>
    /// Creates the harvester. <paramref name="baseDirectory"/> resolves a relative folder (the policy file's folder);
    /// <paramref name="isConfigured"/> says whether a certificate is already configured as a partner certificate.
    /// </summary>
    public CertificateHarvester(HarvestingSettings settings, IAgentLog log, string? baseDirectory = null, Func<X509Certificate, bool>? isConfigured = null)
    {
        _settings = Guard.NotNull(settings);
        _log = Guard.NotNull(log);
        _isConfigured = isConfigured ?? (_ => false);
        if (!string.IsNullOrWhiteSpace(settings.Folder))
        {
            _folder = Path.IsPathRooted(settings.Folder) || baseDirectory is null
                ? settings.Folder
                : Path.Combine(baseDirectory, settings.Folder);
        }
    }

    /// <summary>Harvests the signer certificate of <paramref name="result"/> when it is a valid signature from an external sender.</summary>
    public HarvestOutcome Harvest(InboundSmimeResult result, bool senderIsExternal)
    {
        Guard.NotNull(result);
        if (!_settings.Enabled || _folder is null)
        {
            return HarvestOutcome.Disabled;
        }

        if (result.Signature != SignatureStatus.Valid || !senderIsExternal || result.SignerCertificate is not { } certificate || result.SignerAddress is not { } address)
        {
            return HarvestOutcome.NotEligible;
        }

        var thumbprint = CertificateNames.Thumbprint(certificate);
        try
        {
            Directory.CreateDirectory(_folder);
            if (_isConfigured(certificate) || Directory.EnumerateFiles(_folder, "*" + thumbprint + ".pem").Any())
            {
                _log.Write(EventIds.CertificateHarvestSkipped, $"Certificate {thumbprint} of {address} is already configured or harvested.");
                return HarvestOutcome.AlreadyKnown;
            }

            // Written beside its final name, then moved without overwriting: a reader never sees half a file, and an
            // existing file (configured or harvested) is never replaced.
            var path = Path.Combine(_folder, SafeFileName(address) + "_" + thumbprint + ".pem");
            var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
            File.WriteAllText(partial, ToPem(certificate), Encoding.ASCII);
            try
            {
                File.Move(partial, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(partial);
                return HarvestOutcome.AlreadyKnown;
            }

            _log.Write(EventIds.CertificateHarvested, $"Harvested the certificate {thumbprint} of {address} ({certificate.SubjectDN}) into {path}.");
            return HarvestOutcome.Harvested;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _log.Write(EventIds.CertificateHarvestFailed, $"Could not harvest the certificate {thumbprint} of {address} into {_folder}: {ex.Message}");
            return HarvestOutcome.Failed;
        }
    }

    private static string SafeFileName(string address)
    {
        var name = new StringBuilder(address.Length);
        foreach (var c in address)
        {
            name.Append(char.IsLetterOrDigit(c) && c < 128 || c is '.' or '-' or '_' or '@' or '+' ? c : '_');
        }

        return name.ToString();
    }

    private static string ToPem(X509Certificate certificate)
    {
        var base64 = Convert.ToBase64String(certificate.GetEncoded());
        var pem = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (var i = 0; i < base64.Length; i += 64)
        {
            pem.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return pem.Append("-----END CERTIFICATE-----\n").ToString();
    }
}
