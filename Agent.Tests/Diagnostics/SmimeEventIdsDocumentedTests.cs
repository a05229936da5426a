using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Diagnostics;

public sealed class SmimeEventIdsDocumentedTests
{
    [Fact]
    public void EveryOutboundSmimeAndCertificateEvent_HasARowInDocsEventIds()
    {
        var document = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "event-ids.md"));

        var missing = EventIds.All
            .Where(e => e.Id is >= 2000 and < 2200)
            .Where(e => !document.Contains($"| {e.Id} | {e.Name} | {e.Level} |", System.StringComparison.Ordinal))
            .Select(e => e.ToString())
            .ToList();

        Assert.Empty(missing);
    }
}
