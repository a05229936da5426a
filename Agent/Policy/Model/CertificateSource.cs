using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>One place certificates (and maybe private keys) are read from. Paths are relative to the policy file.</summary>
internal sealed class CertificateSource
{
    /// <summary>The kind of source.</summary>
    public CertificateSourceKind Kind { get; init; }

    /// <summary>File or folder path (File, Folder).</summary>
    public string? Path { get; init; }

    /// <summary>PEM private key file beside a certificate file (PKCS#8 or PKCS#1, unencrypted or with PasswordFile).</summary>
    public string? KeyFile { get; init; }

    /// <summary>PKCS#12 file holding certificate and key.</summary>
    public string? PfxFile { get; init; }

    /// <summary>File whose first line is the PFX or key password (never inline in the policy).</summary>
    public string? PasswordFile { get; init; }

    /// <summary>Windows store name (My, AddressBook, Root, CA).</summary>
    public string? StoreName { get; init; }

    /// <summary>Windows store location; LocalMachine only is supported.</summary>
    public string StoreLocation { get; init; } = "LocalMachine";

    /// <summary>Optional thumbprint selecting one certificate of a store.</summary>
    public string? Thumbprint { get; init; }

    /// <summary>Explicit mapping: the recipient domains this certificate is the gateway certificate for.</summary>
    public IReadOnlyList<string> Domains { get; init; } = Array.Empty<string>();

    /// <summary>Where the source was declared (file:line:col), for error messages.</summary>
    public string Location { get; init; } = string.Empty;
}
