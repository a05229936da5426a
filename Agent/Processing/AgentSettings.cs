using System;
using System.IO;
using System.Xml;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>What the agent does when it cannot follow the policy.</summary>
public enum FailureOutcome
{
    /// <summary>Defer the message; Exchange retries it later (fail closed). The default.</summary>
    Defer,
    /// <summary>INSECURE opt-in: let the message pass unchanged. A must-encrypt message would then leave in plain text.</summary>
    PassThroughInsecure,
}

/// <summary>
/// Host settings from AgentSettings.xml beside the agent: everything that must be known even when no policy can
/// be loaded. A missing file gives the defaults, which fail closed; a broken file gives the defaults and an error.
/// </summary>
public sealed class AgentSettings
{
    /// <summary>The file name looked for beside the agent.</summary>
    public const string FileName = "AgentSettings.xml";

    /// <summary>The XML namespace of the settings file.</summary>
    public const string Namespace = "urn:exchange-encryption-agent:settings:v1";

    /// <summary>Policy file path, relative to the agent folder unless absolute.</summary>
    public string PolicyFile { get; init; } = Path.Combine("Policies", "policy.xml");

    /// <summary>Outcome for every message while no valid policy is loaded.</summary>
    public FailureOutcome OnNoValidPolicy { get; init; } = FailureOutcome.Defer;

    /// <summary>Outcome for a message whose processing failed unexpectedly.</summary>
    public FailureOutcome OnInternalError { get; init; } = FailureOutcome.Defer;

    /// <summary>How long a deferred message waits before Exchange retries it.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where messages are spooled while being transformed (delete-on-close files), relative to the agent folder unless
    /// absolute. Under Logs\ by default because that is the one folder install.ps1 lets the transport account write.
    /// </summary>
    public string TemporaryDirectory { get; init; } = System.IO.Path.Combine("Logs", "spool");

    /// <summary>
    /// The longest the agent may work on one message in one event. Exchange never abandons a slow agent, so a hung
    /// worker would hold the message for ever; past this limit the message is deferred (fail closed) with event 4010.
    /// </summary>
    public TimeSpan ProcessingTimeLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The accepted range of <see cref="ProcessingTimeLimit"/>.</summary>
    public static readonly TimeSpan MinProcessingTimeLimit = TimeSpan.FromSeconds(5);

    /// <summary>The accepted range of <see cref="ProcessingTimeLimit"/>.</summary>
    public static readonly TimeSpan MaxProcessingTimeLimit = TimeSpan.FromHours(1);

    /// <summary>
    /// Lab switch: log, at every event, what Exchange tells the agent about the message (content type, TnefPart,
    /// OriginalAuthenticator kind, InboundDeliveryMethod, RecipientCategory per recipient), never its content (event 4012).
    /// </summary>
    public bool Diagnostics { get; init; }

    /// <summary>
    /// Reads <paramref name="path"/>. Never throws: a problem yields the defaults plus a description in
    /// <paramref name="problem"/> (the caller logs it).
    /// </summary>
    public static AgentSettings Load(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return new AgentSettings();
        }

        try
        {
            using var reader = XmlReader.Create(path, SafeXml.ReaderSettings(maxCharacters: 1024 * 1024));
            var document = new XmlDocument { XmlResolver = null };
            document.Load(reader);
            var root = document.DocumentElement;
            if (root is null || root.LocalName != "AgentSettings" || root.NamespaceURI != Namespace)
            {
                problem = $"{path}: the root element must be <AgentSettings xmlns=\"{Namespace}\">.";
                return new AgentSettings();
            }

            var defaults = new AgentSettings();
            var limit = Text(root, "ProcessingTimeLimit") is { } limitText ? XmlConvert.ToTimeSpan(limitText) : defaults.ProcessingTimeLimit;
            if (limit < MinProcessingTimeLimit || limit > MaxProcessingTimeLimit)
            {
                // One bad value must not throw away the whole file: the safe default for this value, and an event.
                problem = $"{path}: <ProcessingTimeLimit> {XmlConvert.ToString(limit)} is outside {XmlConvert.ToString(MinProcessingTimeLimit)}..{XmlConvert.ToString(MaxProcessingTimeLimit)}; {XmlConvert.ToString(defaults.ProcessingTimeLimit)} is used.";
                limit = defaults.ProcessingTimeLimit;
            }

            return new AgentSettings
            {
                ProcessingTimeLimit = limit,
                Diagnostics = Text(root, "Diagnostics") is { } diagnostics && XmlConvert.ToBoolean(diagnostics),
                PolicyFile = Text(root, "PolicyFile") ?? defaults.PolicyFile,
                OnNoValidPolicy = Outcome(root, "OnNoValidPolicy") ?? defaults.OnNoValidPolicy,
                OnInternalError = Outcome(root, "OnInternalError") ?? defaults.OnInternalError,
                RetryInterval = Text(root, "RetryInterval") is { } retry ? XmlConvert.ToTimeSpan(retry) : defaults.RetryInterval,
                TemporaryDirectory = Text(root, "TemporaryDirectory") ?? defaults.TemporaryDirectory,
            };
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            problem = $"{path}: {ex.Message}";
            return new AgentSettings();
        }
    }

    /// <summary>Resolves <paramref name="path"/> against the agent folder.</summary>
    public static string Resolve(string agentDirectory, string path)
        => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(agentDirectory, path));

    private static string? Text(XmlElement root, string name)
    {
        var element = root[name, Namespace];
        var text = element?.InnerText.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static FailureOutcome? Outcome(XmlElement root, string name)
    {
        var text = Text(root, name);
        return text switch
        {
            null => null,
            "Defer" => FailureOutcome.Defer,
            "PassThroughInsecure" => FailureOutcome.PassThroughInsecure,
            _ => throw new FormatException($"<{name}> must be Defer or PassThroughInsecure, not '{text}'."),
        };
    }
}

/// <summary>Reader settings for every XML file the agent reads: no DTD, no resolver, bounded size.</summary>
public static class SafeXml
{
    /// <summary>DTDs prohibited (no entity expansion, no external DTD), no external resources, comments ignored.</summary>
    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };
}
