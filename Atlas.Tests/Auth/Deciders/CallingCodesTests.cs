using Atlas.Core.Auth;

namespace Atlas.Tests.Auth.Deciders;

/// <summary>Which calling code a number is texted under: the longest listed prefix, a '!' carving a part out.</summary>
public sealed class CallingCodesTests
{
    private static PhoneNumber Phone(string e164) => PhoneNumber.FromStored(e164);

    private static CallingCodes Listed(string list)
    {
        Assert.True(CallingCodes.TryParse(list, out var codes), list);
        return codes;
    }

    [Theory]
    [InlineData("+447700900123", "44")]
    [InlineData("+15550109999", "1")]
    [InlineData("+33612345678", "33")]
    public void GivenTheLaunchMarkets_WhenANumberOfOneIsTexted_ThenItCountsUnderItsCallingCode(string phone, string code)
    {
        Assert.Equal(code, Listed("44,33,1").Find(Phone(phone)));
    }

    [Theory]
    [InlineData("+37120000000")]
    [InlineData("+4915112345678")]
    [InlineData("+8821234567")]
    public void GivenTheLaunchMarkets_WhenANumberOfAnotherCountryIsTexted_ThenItMayNotBe(string phone)
    {
        Assert.Null(Listed("44,33,1").Find(Phone(phone)));
    }

    [Fact]
    public void GivenAWiderAndANarrowerCode_WhenANumberMatchesBoth_ThenTheLongestWins()
    {
        var codes = Listed("1,1242");

        Assert.Equal("1242", codes.Find(Phone("+12425550123")));
        Assert.Equal("1", codes.Find(Phone("+12125550123")));
    }

    [Fact]
    public void GivenAPartCarvedOut_WhenANumberIsInIt_ThenItMayNotBeTextedThoughItsCountryMay()
    {
        var codes = Listed("1,!1876");

        Assert.Null(codes.Find(Phone("+18765550123")));
        Assert.Equal("1", codes.Find(Phone("+15550109999")));
        Assert.Equal(["1"], codes.Allowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("!1876")]
    [InlineData("44,uk")]
    [InlineData("+44")]
    [InlineData("044")]
    [InlineData("44,44")]
    [InlineData("12345678")]
    public void AListWithNothingAllowedOrSomethingNotACode_IsRefused(string list)
    {
        Assert.False(CallingCodes.TryParse(list, out _));
    }

    [Fact]
    public void TheRuleNamesTheAllowedCodes()
    {
        Assert.Equal("Sign-in codes are texted only to numbers with the calling code +1, +33, +44.", Listed(" 44, 33 ,1,!1876").Rule);
    }

    [Theory]
    [InlineData("+15550109999", "1")]
    [InlineData("+79161234567", "7")]
    [InlineData("+447700900123", "44")]
    [InlineData("+33612345678", "33")]
    [InlineData("+37120000000", "371")]
    [InlineData("+212612345678", "212")]
    [InlineData("+8821234567", "882")]
    [InlineData("+2348012345678", "234")]
    public void TheCountryCallingCodeOfANumberIsItsOneTwoOrThreeDigitPrefix(string phone, string code)
    {
        Assert.Equal(code, CallingCodes.CountryOf(Phone(phone)));
    }
}
