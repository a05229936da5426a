using System;
using System.Linq;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// The installer's entry point (install.ps1 loads the net48 DLL in Windows PowerShell 5.1 and calls this before it
/// copies a policy into place). Plain types only, so PowerShell needs nothing else. It checks what the agent will
/// check when it loads the file: the XML, and then every certificate and key the policy names, so an installation
/// never activates a policy the agent would refuse (and defer all mail for).
/// </summary>
public static class PolicyFileValidator
{
    /// <summary>
    /// Validates <paramref name="path"/>; returns every error as <c>file:line:col: rule 'name': message</c> (errors
    /// outside rules omit <c>rule 'name': </c>; whole-file errors use line and column 0). Empty means valid.
    /// Never throws for a bad file.
    /// </summary>
    public static string[] Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return new[] { "(no file):0:0: no policy file path was given" };
        }

        var result = PolicyLoader.LoadFile(path);
        if (result.Policy is not { } policy)
        {
            return result.Errors.Select(e => e.ToString()).ToArray();
        }

        var baseDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var certificates = Certificates.CertificateDirectory.Load(policy.Certificates, baseDirectory, Diagnostics.NullAgentLog.Instance);
        return certificates.Errors.Select(e => $"{path}:0:0: certificates: {e}").ToArray();
    }
}
