using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// What happens when a rule cannot be evaluated (a regular expression times out, the evaluation budget is spent,
/// the body is larger than the engine reads). The default never lets an attacker weaken protection by making the
/// evaluation expensive.
/// </summary>
internal enum RuleErrorAction
{
    /// <summary>
    /// The default. A protective rule (one with EncryptSmime, SignSmime, RouteRequireTls or RejectMessage) acts as if
    /// the condition that could not be evaluated held (and an exception that could not be evaluated did not); any
    /// other rule is treated as not matching.
    /// </summary>
    Protect,
    /// <summary>The rule is treated as not matching; the message goes on (Exchange's default; fails open).</summary>
    Ignore,
    /// <summary>The whole message is deferred; Exchange retries it later.</summary>
    Defer,
}
