using System;
using System.Collections.Generic;
using Microsoft.Exchange.Data.Transport;
using Xunit;

namespace ExchangeApi.Simulator.Tests;

public sealed class AddressingTests
{
    [Fact]
    public void RoutingAddress_ConstructorDoesNotValidate()
    {
        var address = new RoutingAddress("not an address");

        Assert.False(address.IsValid);
        Assert.Null(address.LocalPart);
        Assert.Null(address.DomainPart);
        Assert.Equal("not an address", address.ToString());
        Assert.Throws<FormatException>(() => RoutingAddress.Parse("not an address"));
    }

    [Theory]
    [InlineData("bob@contoso.com", "bob", "contoso.com")]
    [InlineData("first.last+tag@mail.contoso.com", "first.last+tag", "mail.contoso.com")]
    [InlineData("\"quoted @ local\"@contoso.com", "\"quoted @ local\"", "contoso.com")]
    public void RoutingAddress_Valid_SplitsIntoParts(string text, string local, string domain)
    {
        var address = new RoutingAddress(text);

        Assert.True(address.IsValid);
        Assert.Equal(local, address.LocalPart);
        Assert.Equal(domain, address.DomainPart);
        Assert.Equal(text.Length, address.Length);
    }

    [Theory]
    [InlineData("user@[192.0.2.1]")]
    [InlineData("user@")]
    [InlineData("@contoso.com")]
    [InlineData("a..b@contoso.com")]
    [InlineData("user@-contoso.com")]
    [InlineData("<>")]
    public void RoutingAddress_Invalid(string text) => Assert.False(new RoutingAddress(text).IsValid);

    [Fact]
    public void RoutingAddress_EqualityIgnoresCase()
    {
        var a = new RoutingAddress("Bob@Contoso.COM");
        var b = new RoutingAddress("bob@contoso.com");

        Assert.True(a == b);
        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
        Assert.Contains(b, new HashSet<RoutingAddress> { a });
    }

    [Fact]
    public void RoutingAddress_EqualsObjectOfAnotherType_Throws()
    {
        var a = new RoutingAddress("bob@contoso.com");

        Assert.Throws<ArgumentException>(() => a.Equals("bob@contoso.com"));
        Assert.Throws<ArgumentException>(() => a.Equals((object?)null));
        Assert.True(a.Equals((object)new RoutingAddress("BOB@contoso.com")));
    }

    [Fact]
    public void RoutingAddress_EmptyAndNullReversePath()
    {
        Assert.True(RoutingAddress.IsEmpty(new RoutingAddress(string.Empty)));
        Assert.Equal(string.Empty, RoutingAddress.Empty.ToString());
        Assert.Equal("<>", RoutingAddress.NullReversePath.ToString());
        Assert.False(RoutingAddress.NullReversePath.IsValid);
        Assert.True(new RoutingAddress("<>") == RoutingAddress.NullReversePath);
        Assert.Equal("bob@contoso.com", new RoutingAddress("bob", "contoso.com").ToString());
        Assert.True(new RoutingAddress("jürgen@bücher.example").IsUTF8);
    }

    [Fact]
    public void RoutingDomain_ToStringIncludesTheType()
    {
        var domain = new RoutingDomain("contoso.com");

        Assert.Equal("smtp:contoso.com", domain.ToString());
        Assert.Equal("contoso.com", domain.Domain);
        Assert.Equal(RoutingDomain.Smtp, domain.Type);
        Assert.True(domain.IsSmtp());
        Assert.True(domain.IsValid());
        Assert.Equal(domain, new RoutingDomain("CONTOSO.com"));
        Assert.Equal(domain, RoutingDomain.GetDomainPart(new RoutingAddress("bob@contoso.com")));
        Assert.Equal(RoutingDomain.Empty, RoutingDomain.GetDomainPart(new RoutingAddress("nonsense")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a domain")]
    [InlineData("[192.0.2.1]")]
    [InlineData("contoso..com")]
    public void RoutingDomain_Invalid_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => new RoutingDomain(text));
        Assert.False(RoutingDomain.TryParse(text, out var parsed));
        Assert.Equal(RoutingDomain.Empty, parsed);
    }

    [Fact]
    public void RoutingDomain_NonSmtpType()
    {
        var x400 = new RoutingDomain("c=US;a=;p=Contoso", "X400");

        Assert.False(x400.IsSmtp());
        Assert.Equal("X400:c=US;a=;p=Contoso", x400.ToString());
        Assert.Throws<FormatException>(() => new RoutingDomain("contoso.com", "bad:type"));
    }

    [Fact]
    public void RoutingOverride_EmptyDomain_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new RoutingOverride(RoutingDomain.Empty, DeliveryQueueDomain.UseOverrideDomain));

    [Fact]
    public void RoutingOverride_AlternateHosts()
    {
        Assert.Throws<ArgumentException>(() => new RoutingOverride(new RoutingDomain("relay.contoso.com"), DeliveryQueueDomain.UseAlternateDeliveryRoutingHosts));
        Assert.Throws<ArgumentException>(() => new RoutingOverride(new RoutingDomain("c=US", "X400"), new RoutingHost("relay.contoso.com"), DeliveryQueueDomain.UseAlternateDeliveryRoutingHosts));

        var routing = new RoutingOverride(new RoutingDomain("relay.contoso.com"), new RoutingHost("[192.0.2.10]"), DeliveryQueueDomain.UseAlternateDeliveryRoutingHosts);
        var host = Assert.Single(routing.AlternateDeliveryRoutingHosts!);
        Assert.True(host.IsIPAddress);
        Assert.Equal("192.0.2.10", host.HostName);
        Assert.Throws<FormatException>(() => new RoutingHost("not a host"));
    }
}
