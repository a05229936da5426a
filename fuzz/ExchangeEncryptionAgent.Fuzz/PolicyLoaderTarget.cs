using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// Target "policy": the bytes as a policy file (PolicyLoader.Load, the path LoadFile takes after reading). The loader
/// never throws for a bad file: every problem is an error in the result, with its position.
/// </summary>
public sealed class PolicyLoaderTarget : IFuzzTarget
{
    private readonly RecordingLog _log = new();

    /// <inheritdoc />
    public string Name => "policy";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        _log.Clear();
        var result = PolicyLoader.Load(input, "fuzz.xml", "/fuzz/policy.xml");
        foreach (var error in result.Errors)
        {
            // Errors are shown to the administrator (eea validate, event 1101): building their text is part of the path.
            _ = error.ToString();
        }

        if (result.Succeeded)
        {
            PolicyLoader.LogWarnings(result, _log);
        }
        else if (result.Errors.Count == 0)
        {
            throw new FuzzFindingException("the policy failed to load without an error to show");
        }
    }
}
