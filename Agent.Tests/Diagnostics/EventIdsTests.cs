using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Diagnostics;

public sealed class EventIdsTests
{
    [Fact]
    public void Catalogue_HasNoDuplicateIds()
    {
        var duplicates = EventIds.All.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }
}
