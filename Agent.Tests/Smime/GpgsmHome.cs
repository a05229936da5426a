using System;
using System.IO;
using System.Text;
using ExchangeEncryptionAgent.Tests.Support;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>
/// A throw-away GnuPG home for gpgsm 2.2 (smime-notes §4): loopback pinentry, no CRL checks, the test root trusted
/// ("S relax"), and alice's and the gateway's keys imported from legacy 3DES PKCS#12 files written by openssl (gpgsm
/// cannot read PBES2). Disposing stops the gpg-agent this home started and deletes the folder.
/// </summary>
public sealed class GpgsmHome : IDisposable
{
    public const string Passphrase = "test";

    public GpgsmHome()
    {
        // Short path: gpg-agent's socket path must fit in sun_path.
        Directory = System.IO.Directory.CreateTempSubdirectory("eea-gpg-").FullName;
        File.WriteAllText(Path.Combine(Directory, "gpg-agent.conf"), "allow-loopback-pinentry\n");
        File.WriteAllText(Path.Combine(Directory, "gpgsm.conf"), "disable-crl-checks\ndisable-dirmngr\n");
        try
        {
            Populate();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Directory { get; }

    private void Populate()
    {
        var pki = TestPki.Shared;
        Check(Run(null, "--import", pki.PathOf("ca.crt")));
        Check(Run(null, "--import", pki.PathOf("intermediate.crt")));
        var fingerprint = ExternalTool.OpenSsl(pki.Directory, "x509", "-in", "ca.crt", "-noout", "-fingerprint", "-sha1").StandardOutput;
        File.WriteAllText(Path.Combine(Directory, "trustlist.txt"), fingerprint.Split('=')[1].Trim() + " S relax\n");
        foreach (var name in new[] { "alice", "gateway" })
        {
            ImportKey(pki, name);
        }
    }

    /// <summary>
    /// gpgsm 2.2 reads only legacy PKCS#12 (3DES PBE, SHA-1 MAC). Its parser also rejects, now and then, a file that
    /// openssl reads back fine ("data error at shrouded_key_bag.decrypted-text": about one run in fifteen here, with
    /// keys from openssl as well as from BouncyCastle), depending on the random salt. The import is only set-up, so a
    /// fresh export (new salt) is tried a few times; what the tests check afterwards is unaffected.
    /// </summary>
    private void ImportKey(TestPki pki, string name)
    {
        var p12 = Path.Combine(Directory, name + ".p12");
        ExternalTool.Result? import = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Check(ExternalTool.OpenSsl(pki.Directory, "pkcs12", "-export", "-inkey", name + ".key", "-in", name + ".crt", "-certfile", "chain.crt",
                "-name", name, "-passout", "pass:" + Passphrase, "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1", "-out", p12));
            import = Run(Encoding.ASCII.GetBytes(Passphrase + "\n"), "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--import", p12);
            if (import.ExitCode == 0)
            {
                return;
            }
        }

        Check(import!);
    }

    internal ExternalTool.Result Run(byte[]? standardInput, params string[] arguments)
        => ExternalTool.Gpgsm(Directory, Directory, standardInput, arguments);

    /// <summary>Decrypts a DER EnvelopedData file with an imported key.</summary>
    internal ExternalTool.Result Decrypt(string derFile, string outputFile)
        => Run(Encoding.ASCII.GetBytes(Passphrase + "\n"), "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--output", outputFile, "--decrypt", derFile);

    public void Dispose()
    {
        ExternalTool.Run("gpgconf", new[] { "--kill", "gpg-agent" }, Directory, environment: new System.Collections.Generic.Dictionary<string, string> { ["GNUPGHOME"] = Directory });
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The agent may still be removing its sockets; the temp folder is cleaned up by the system later.
        }
    }

    private static void Check(ExternalTool.Result result)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("gpgsm set-up failed: " + result);
        }
    }
}
