using System;
using System.Linq;
using System.Reflection;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Email;
using Microsoft.Exchange.Data.Transport.Routing;
using Xunit;

namespace ExchangeApi.Simulator.Tests;

// The stand-in must look to the agent exactly like Microsoft's assembly, and must not offer anything more.
public sealed class StandInTests
{
    [Fact]
    public void Identity_IsTheRealAssemblys()
    {
        var name = typeof(MailItem).Assembly.GetName();

        Assert.Equal("Microsoft.Exchange.Data.Transport", name.Name);
        Assert.Equal(new Version(15, 0, 1474, 0), name.Version);
        Assert.Equal("31bf3856ad364e35", Convert.ToHexString(name.GetPublicKeyToken()!).ToLowerInvariant());
    }

    [Theory]
    [InlineData(typeof(MailItem))]
    [InlineData(typeof(EnvelopeRecipient))]
    [InlineData(typeof(EnvelopeRecipientCollection))]
    [InlineData(typeof(QueuedMessageEventArgs))]
    [InlineData(typeof(ResolvedMessageEventSource))]
    [InlineData(typeof(SmtpServer))]
    [InlineData(typeof(AddressBook))]
    [InlineData(typeof(AgentAsyncContext))]
    [InlineData(typeof(EmailMessage))]
    public void TransportOwnedTypes_HaveNoAccessibleConstructor(Type type) =>
        Assert.DoesNotContain(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance), c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly);

    [Fact]
    public void HostHooks_AreNotVisibleToAgents()
    {
        var visible = typeof(RoutingAgent).GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m switch
            {
                MethodBase method => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly,
                FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
                _ => false,
            })
            .Select(m => m.Name)
            .Where(n => n is "Raise" or "IsSubscribed" or "BeginInvocation" or "EndInvocation")
            .ToList();

        Assert.Empty(visible);
        Assert.DoesNotContain(typeof(MailItem).Assembly.GetExportedTypes(), t => t.Name.Contains("Facts", StringComparison.Ordinal));
    }
}
