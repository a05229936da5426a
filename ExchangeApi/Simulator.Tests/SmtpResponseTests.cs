using System;
using Microsoft.Exchange.Data.Transport.Smtp;
using Xunit;

namespace ExchangeApi.Simulator.Tests;

public sealed class SmtpResponseTests
{
    [Fact]
    public void ValidResponse_KeepsItsParts()
    {
        var response = new SmtpResponse("550", "5.7.1", "Delivery not authorized", "Encryption required");

        Assert.Equal("550", response.StatusCode);
        Assert.Equal("5.7.1", response.EnhancedStatusCode);
        Assert.Equal(["Delivery not authorized", "Encryption required"], response.StatusText);
        Assert.Equal(SmtpResponseType.PermanentError, response.SmtpResponseType);
        Assert.False(response.IsEmpty);
        Assert.Equal("550-5.7.1 Delivery not authorized\r\n550 5.7.1 Encryption required", response.ToString());
    }

    [Theory]
    [InlineData("250", SmtpResponseType.Success)]
    [InlineData("354", SmtpResponseType.IntermediateSuccess)]
    [InlineData("451", SmtpResponseType.TransientError)]
    [InlineData("554", SmtpResponseType.PermanentError)]
    public void ResponseType_FollowsTheFirstDigit(string code, SmtpResponseType expected) =>
        Assert.Equal(expected, new SmtpResponse(code, string.Empty, "text").SmtpResponseType);

    [Theory]
    [InlineData("55", "5.7.1")]
    [InlineData("5500", "5.7.1")]
    [InlineData("5a0", "5.7.1")]
    [InlineData("", "5.7.1")]
    [InlineData("550", "3.7.1")]
    [InlineData("550", "5.7")]
    [InlineData("550", "5.x.1")]
    [InlineData("550", "5.7.1.2")]
    [InlineData("550", "5.7.1234")]
    public void InvalidCodes_ThrowFormatException(string statusCode, string enhancedStatusCode) =>
        Assert.Throws<FormatException>(() => new SmtpResponse(statusCode, enhancedStatusCode, "text"));

    [Theory]
    [InlineData("Zertifikat für Empfänger fehlt")]
    [InlineData("nul\0char")]
    public void NonAsciiText_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => new SmtpResponse("550", "5.7.1", text));

    [Fact]
    public void EmptyEnhancedCode_IsAllowed()
    {
        var response = new SmtpResponse("451", string.Empty, "try later");

        Assert.Equal(string.Empty, response.EnhancedStatusCode);
        Assert.Equal("451 try later", response.ToString());
    }

    [Fact]
    public void Empty_IsEmpty()
    {
        Assert.True(SmtpResponse.Empty.IsEmpty);
        Assert.Equal(SmtpResponseType.Unknown, SmtpResponse.Empty.SmtpResponseType);
        Assert.Equal(string.Empty, SmtpResponse.Empty.ToString());
    }

    [Fact]
    public void Equality_ComparesCodesAndText()
    {
        var a = new SmtpResponse("550", "5.7.1", "x");

        Assert.Equal(a, new SmtpResponse("550", "5.7.1", "x"));
        Assert.True(a == new SmtpResponse("550", "5.7.1", "x"));
        Assert.True(a != new SmtpResponse("550", "5.7.1", "y"));
        Assert.NotEqual(a, new SmtpResponse("554", "5.7.1", "x"));
    }

    [Fact]
    public void TryParse_ReadsSingleAndMultiLineResponses()
    {
        Assert.True(SmtpResponse.TryParse("550 5.7.1 Not authorized", out var single));
        Assert.Equal(new SmtpResponse("550", "5.7.1", "Not authorized"), single);

        Assert.True(SmtpResponse.TryParse("451-4.4.0 first\r\n451 4.4.0 second", out var multi));
        Assert.Equal(["first", "second"], multi.StatusText);

        Assert.False(SmtpResponse.TryParse("hello", out var invalid));
        Assert.True(invalid.IsEmpty);
    }
}
