using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Host settings from AgentSettings.xml beside the agent: everything that must be known even when no policy can
/// be loaded. A missing file gives the defaults, which fail closed; a broken file gives the defaults and an error;
/// a single unreadable or out-of-range value gives that value's default and a warning (the rest of the file holds).
/// </summary>
public sealed class AgentSettings
{
    /// <summary>The file name looked for beside the agent.</summary>
    public const string FileName = "AgentSettings.xml";

    /// <summary>The XML namespace of the settings file.</summary>
    public const string Namespace = "urn:exchange-encryption-agent:settings:v1";

    /// <summary>
    /// The shortest retry interval accepted. Exchange accepts a zero or negative Defer wait, but zero waits count toward
    /// its resubmit limit, after which it drops the message; a few seconds would only hammer a server that is failing.
    /// </summary>
    public static readonly TimeSpan MinRetryInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest retry interval accepted: a single wait must stay well inside Exchange's message expiration
    /// (2 days by default), or one deferral would turn into an expiry NDR without a second attempt.
    /// </summary>
    public static readonly TimeSpan MaxRetryInterval = TimeSpan.FromHours(12);

    /// <summary>The longest path accepted for PolicyFile and TemporaryDirectory (Windows' extended path limit).</summary>
    public const int MaxPathLength = 32_000;

    /// <summary>Wildcards and characters Windows refuses in paths (the agent runs on Windows; the check is the same everywhere).</summary>
    private static readonly char[] ForbiddenPathCharacters = { '*', '?', '"', '<', '>', '|' };

    private readonly string _policyFile = Path.Combine("Policies", "policy.xml");
    private readonly FailureOutcome _onNoValidPolicy = FailureOutcome.Defer;
    private readonly FailureOutcome _onInternalError = FailureOutcome.Defer;
    private readonly TimeSpan _retryInterval = TimeSpan.FromMinutes(5);
    private readonly string _temporaryDirectory = Path.Combine("Logs", "spool");

    /// <summary>Policy file path, relative to the agent folder unless absolute.</summary>
    public string PolicyFile
    {
        get => _policyFile;
        init => _policyFile = CheckPath(value, nameof(PolicyFile));
    }

    /// <summary>Outcome for every message while no valid policy is loaded.</summary>
    public FailureOutcome OnNoValidPolicy
    {
        get => _onNoValidPolicy;
        init => _onNoValidPolicy = CheckOutcome(value, nameof(OnNoValidPolicy));
    }

    /// <summary>Outcome for a message whose processing failed unexpectedly.</summary>
    public FailureOutcome OnInternalError
    {
        get => _onInternalError;
        init => _onInternalError = CheckOutcome(value, nameof(OnInternalError));
    }

    /// <summary>
    /// How long a deferred message waits before Exchange retries it; between <see cref="MinRetryInterval"/> and
    /// <see cref="MaxRetryInterval"/> (a host that sets anything else in code gets an exception, a file its default).
    /// </summary>
    public TimeSpan RetryInterval
    {
        get => _retryInterval;
        init => _retryInterval = value >= MinRetryInterval && value <= MaxRetryInterval
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RetryInterval), value, RetryIntervalRange);
    }

    /// <summary>
    /// Where messages are spooled while being transformed (delete-on-close files), relative to the agent folder unless
    /// absolute. Under Logs\ by default because that is the one folder install.ps1 lets the transport account write.
    /// </summary>
    public string TemporaryDirectory
    {
        get => _temporaryDirectory;
        init => _temporaryDirectory = CheckPath(value, nameof(TemporaryDirectory));
    }

    private static string RetryIntervalRange => $"RetryInterval must be between {MinRetryInterval} and {MaxRetryInterval}.";

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
    /// Reads <paramref name="path"/>. Never throws: a problem with the file yields the defaults plus a description in
    /// <paramref name="problem"/>; values that cannot be used are listed in <paramref name="badValues"/> and replaced
    /// by their defaults (the caller logs both).
    /// </summary>
    public static AgentSettings Load(string path, out string? problem, out IReadOnlyList<string> badValues)
    {
        problem = null;
        var bad = new List<string>();
        badValues = bad;
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
            return new AgentSettings
            {
                ProcessingTimeLimit = Value(root, nameof(ProcessingTimeLimit), ParseProcessingTimeLimit, defaults.ProcessingTimeLimit, bad),
                Diagnostics = Value(root, nameof(Diagnostics), XmlConvert.ToBoolean, defaults.Diagnostics, bad),
                PolicyFile = Value(root, nameof(PolicyFile), ParsePath, defaults.PolicyFile, bad),
                OnNoValidPolicy = Value(root, nameof(OnNoValidPolicy), ParseOutcome, defaults.OnNoValidPolicy, bad),
                OnInternalError = Value(root, nameof(OnInternalError), ParseOutcome, defaults.OnInternalError, bad),
                RetryInterval = Value(root, nameof(RetryInterval), ParseRetryInterval, defaults.RetryInterval, bad),
                TemporaryDirectory = Value(root, nameof(TemporaryDirectory), ParsePath, defaults.TemporaryDirectory, bad),
            };
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: {ex.Message}";
            bad.Clear();
            return new AgentSettings();
        }
    }

    /// <summary>Reads <paramref name="path"/>; unusable values are folded into <paramref name="problem"/>.</summary>
    public static AgentSettings Load(string path, out string? problem)
    {
        var settings = Load(path, out problem, out var badValues);
        if (problem is null && badValues.Count > 0)
        {
            problem = string.Join(" ", badValues);
        }

        return settings;
    }

    /// <summary>Resolves <paramref name="path"/> against the agent folder.</summary>
    public static string Resolve(string agentDirectory, string path)
        => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(agentDirectory, path));

    /// <summary>The element's value parsed, or (absent: silently; unusable: with a note in <paramref name="bad"/>) the default.</summary>
    private static T Value<T>(XmlElement root, string name, Func<string, T> parse, T fallback, List<string> bad)
    {
        var element = root[name, Namespace];
        var text = element?.InnerText.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        try
        {
            return parse(text!);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            // The value is echoed shortened and without control characters: it may be anything, of any length.
            bad.Add($"<{name}> '{ExceptionSummary.Clean(text, 80)}' is not usable ({ExceptionSummary.Clean(ex.Message, 160)}); the default '{fallback}' is used.");
            return fallback;
        }
    }

    private static string ParsePath(string text) => CheckPath(text, "path");

    private static TimeSpan ParseProcessingTimeLimit(string text)
    {
        var value = XmlConvert.ToTimeSpan(text);
        return value >= MinProcessingTimeLimit && value <= MaxProcessingTimeLimit
            ? value
            : throw new ArgumentException($"ProcessingTimeLimit must be between {MinProcessingTimeLimit} and {MaxProcessingTimeLimit}.");
    }

    private static TimeSpan ParseRetryInterval(string text)
    {
        var value = XmlConvert.ToTimeSpan(text);
        return value >= MinRetryInterval && value <= MaxRetryInterval ? value : throw new ArgumentException(RetryIntervalRange);
    }

    private static FailureOutcome ParseOutcome(string text) => text switch
    {
        "Defer" => FailureOutcome.Defer,
        "PassThroughInsecure" => FailureOutcome.PassThroughInsecure,
        _ => throw new FormatException("the value must be Defer or PassThroughInsecure"),
    };

    private static FailureOutcome CheckOutcome(FailureOutcome value, string name)
        => value is FailureOutcome.Defer or FailureOutcome.PassThroughInsecure
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "Not a FailureOutcome.");

    private static string CheckPath(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxPathLength || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0
            || value.Any(c => char.IsControl(c) || Array.IndexOf(ForbiddenPathCharacters, c) >= 0))
        {
            throw new ArgumentException("The path is empty, too long or contains characters a path cannot have.", name);
        }

        return value;
    }
}
