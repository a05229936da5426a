using System;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Activation;

/// <summary>
/// A policy and the certificates it configures, loaded together and swapped in together: a message is never
/// planned with one version's rules and another version's keys. Disposed when a newer version replaces it.
/// </summary>
public sealed class LoadedPolicy : IDisposable
{
    /// <summary>Creates the pair.</summary>
    internal LoadedPolicy(PolicySet policy, ICertificateDirectory certificates)
    {
        Policy = Guard.NotNull(policy);
        Certificates = Guard.NotNull(certificates);
    }

    /// <summary>The rules and settings.</summary>
    public PolicySet Policy { get; }

    /// <summary>The certificates and keys the policy names.</summary>
    internal ICertificateDirectory Certificates { get; }

    /// <summary>Releases the platform RSA keys made from this version's private keys (safe while a message of it is in flight).</summary>
    public void Dispose()
    {
        if (Certificates is CertificateDirectory directory)
        {
            foreach (var entry in directory.PrivateKeys)
            {
                Smime.PlatformRsaKey.Release(entry.PrivateKey);
            }
        }
    }

    /// <summary>
    /// Loads <paramref name="policyPath"/> and its certificates (paths relative to the policy file). Any fatal policy
    /// or certificate error fails the whole load, so an invalid file never replaces a valid one.
    /// </summary>
    public static LoadOutcome<LoadedPolicy> Load(string policyPath, IAgentLog log)
    {
        Guard.NotNull(log);
        var policyResult = PolicyLoader.LoadFile(policyPath, log);
        if (policyResult.Policy is not { } policy)
        {
            return LoadOutcome.Failure<LoadedPolicy>(policyResult.Errors.Select(e => e.ToString()).ToArray(), policyResult.IsTransient);
        }

        var certificates = CertificateDirectory.Load(policy.Certificates, policy.BaseDirectory, log);
        if (!certificates.Succeeded)
        {
            return LoadOutcome.Failure<LoadedPolicy>(certificates.Errors.Select(e => $"{policyPath}: certificates: {e}").ToArray());
        }

        return LoadOutcome.Success(new LoadedPolicy(policy, certificates.Directory),
            $"{policy.SourcePath}: {policy.Rules.Count} rules, SHA-256 {policy.Sha256}");
    }
}
