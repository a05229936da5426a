namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>Where the fault matrix breaks something; <see cref="FaultInjector"/> says how.</summary>
public enum FaultSeam
{
    /// <summary>No fault: the control row.</summary>
    None,

    /// <summary>Every certificate, key and CRL file is unreadable when the policy loads.</summary>
    CertificateFilesUnreadable,

    /// <summary>The CRL file alone is unreadable when the policy loads.</summary>
    CrlUnreadable,

    /// <summary>Every certificate, key and CRL file vanishes after the policy loaded, before the message.</summary>
    CertificateFilesVanish,

    /// <summary>Every spool file fails as a full disk does once it holds 256 bytes.</summary>
    SpoolDiskFull,

    /// <summary>The spool folder is deleted between two messages.</summary>
    SpoolFolderDeleted,

    /// <summary>The spool folder is replaced by a plain file (it cannot be created again).</summary>
    SpoolFolderBlocked,

    /// <summary>Every S/MIME operation (sign, encrypt, decrypt) throws a CryptographicException part-way through its output.</summary>
    CryptoThrows,

    /// <summary>The engine throws an unexpected exception while planning.</summary>
    EngineThrows,

    /// <summary>Exchange's MIME write stream throws an IOException on write.</summary>
    WriteStreamThrows,

    /// <summary>Exchange's Fork throws.</summary>
    ForkThrows,

    /// <summary>The engine throws and Exchange's Defer throws too (the fail-safe's own step fails).</summary>
    DeferThrows,

    /// <summary>Exchange's SetRoutingOverride throws.</summary>
    RoutingOverrideThrows,

    /// <summary>Exchange's Recipients.Remove (the NDR) and Recipients.Clear throw.</summary>
    RecipientRemoveThrows,

    /// <summary>The policy file is replaced by a corrupt one while the agent runs; the watcher reloads it.</summary>
    PolicyCorruptMidReload,

    /// <summary>The engine stalls while planning until the processing time limit passes.</summary>
    TimeLimit,

    /// <summary>An S/MIME transform stalls past the time limit and Exchange's Defer throws.</summary>
    TimeLimitThenDeferThrows,

    /// <summary>The log target throws on every write.</summary>
    LoggerThrows,
}
