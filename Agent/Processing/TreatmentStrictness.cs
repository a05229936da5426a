using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The order in which treatments win when several rules apply to one recipient (docs/policy-reference.md): the
/// strictest wins, so no rule can weaken what another demands; only StopRuleProcessing keeps later rules out.
/// A rule's fallback step counts as the treatment it leads to (a RejectMessage fallback rejects, a DeferMessage
/// fallback defers, and defer ranks just below reject: nothing is delivered until the demand can be met).
/// </summary>
public static class TreatmentStrictness
{
    /// <summary>Strictest first, as `eea test` prints them.</summary>
    public static IReadOnlyList<string> Order { get; } = new[] { "reject", "encrypt", "forced-tls", "sign", "none" };

    /// <summary>The strictest treatment <paramref name="actions"/> ask for before certificates are looked up.</summary>
    public static string Demanded(IEnumerable<PolicyAction> actions)
    {
        var list = Guard.NotNull(actions).ToList();
        if (list.Any(a => a is RejectMessageAction))
        {
            return Order[0];
        }

        if (list.Any(a => a is EncryptSmimeAction))
        {
            return Order[1];
        }

        if (list.Any(a => a is RouteRequireTlsAction))
        {
            return Order[2];
        }

        return list.Any(a => a is SignSmimeAction) ? Order[3] : Order[4];
    }
}
