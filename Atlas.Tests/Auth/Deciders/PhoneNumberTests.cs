using Atlas.Core.Auth;

namespace Atlas.Tests.Auth.Deciders;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+447700900123", "+447700900123")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("+1-555-010-9999", "+15550109999")]
    [InlineData("+123456789012345", "+123456789012345")]
    public void E164_with_spaces_and_dashes_is_accepted_and_normalised(string text, string value)
    {
        Assert.True(PhoneNumber.TryParse(text, out var phone));
        Assert.Equal(value, phone.Value);
        Assert.Equal(value[1..], phone.Digits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("447700900123")]
    [InlineData("+0447700900123")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    [InlineData("+44(7700)900123")]
    [InlineData("+44.7700.900123")]
    [InlineData("+４４7700900123")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(PhoneNumber.TryParse(text, out _));
    }
}
