using System;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// A defect the target saw although no exception escaped: a host's catch-all fired (the production code let an
/// exception out of the engine), or an invariant of the outcome does not hold. Thrown so afl-fuzz counts a crash.
/// </summary>
public sealed class FuzzFindingException : Exception
{
    /// <summary>Creates the finding.</summary>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the finding with the exception the host caught.</summary>
    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>For serializers; not used.</summary>
    public FuzzFindingException()
    {
    }
}
