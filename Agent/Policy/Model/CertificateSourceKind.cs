using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Kind of certificate source.</summary>
internal enum CertificateSourceKind
{
    /// <summary>&lt;File Path=".."/&gt;: one PEM or DER file (may hold several certificates), or a PFX with PfxFile.</summary>
    File,
    /// <summary>&lt;Folder Path=".."/&gt;: every .crt/.cer/.pem/.der (and .pfx/.p12 for key sources) in a folder.</summary>
    Folder,
    /// <summary>&lt;WindowsStore Store=".." Location="LocalMachine" Thumbprint=".."/&gt;: Windows only.</summary>
    WindowsStore,
}
