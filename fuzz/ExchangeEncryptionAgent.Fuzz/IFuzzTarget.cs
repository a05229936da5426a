namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// One fuzz target: runs the production entry point on arbitrary bytes. Rejections the production host expects are
/// handled the way it handles them; anything else leaves as an exception, which afl-fuzz records as a crash and the
/// corpus replay test as a failure.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name on the command line and the folder under fuzz/corpus/.</summary>
    string Name { get; }

    /// <summary>Runs one input. Must leave nothing behind that changes the next run (afl runs many in one process).</summary>
    void Run(byte[] input);
}
