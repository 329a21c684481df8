using System.Text;
using Atlas.FakeStripe;
using Atlas.Functions.Webhooks;

namespace Atlas.Tests.Payments;

/// <summary>The webhook signature, exactly as Stripe makes it: HMAC-SHA256 of "t.rawbody" with the whole secret.</summary>
public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const string Body = """{"id":"evt_1","type":"payment_intent.succeeded"}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    [Fact]
    public void A_signature_over_the_raw_body_with_the_secret_is_valid() =>
        Assert.True(Check(FakeStripeServer.Sign(Body, Secret, Now.ToUnixTimeSeconds())));

    [Fact]
    public void A_signature_computed_elsewhere_is_valid()
    {
        // printf '1700000000.%s' "$BODY" | openssl dgst -sha256 -hmac whsec_test_secret
        var header = "t=1700000000,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31";

        Assert.True(StripeSignature.IsValid(header, Encoding.UTF8.GetBytes(Body), [Secret], DateTimeOffset.FromUnixTimeSeconds(1_700_000_100), Tolerance));
        Assert.Equal(header, FakeStripeServer.Sign(Body, Secret, 1_700_000_000));
    }

    [Fact]
    public void A_tampered_body_fails() =>
        Assert.False(StripeSignature.IsValid(FakeStripeServer.Sign(Body, Secret, Now.ToUnixTimeSeconds()), Encoding.UTF8.GetBytes(Body.Replace("1", "2", StringComparison.Ordinal)), [Secret], Now, Tolerance));

    [Fact]
    public void The_same_json_with_other_spacing_fails_because_the_bytes_differ() =>
        Assert.False(StripeSignature.IsValid(FakeStripeServer.Sign(Body, Secret, Now.ToUnixTimeSeconds()), Encoding.UTF8.GetBytes(Body.Replace(":", ": ", StringComparison.Ordinal)), [Secret], Now, Tolerance));

    [Fact]
    public void Another_secret_fails() =>
        Assert.False(Check(FakeStripeServer.Sign(Body, "whsec_other", Now.ToUnixTimeSeconds())));

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void A_timestamp_more_than_300_seconds_from_now_fails_either_way(int offset, bool valid) =>
        Assert.Equal(valid, Check(FakeStripeServer.Sign(Body, Secret, Now.ToUnixTimeSeconds() + offset)));

    [Fact]
    public void During_rotation_any_v1_signed_by_any_current_secret_passes()
    {
        var t = Now.ToUnixTimeSeconds();
        var oldSig = FakeStripeServer.Sign(Body, "whsec_old", t).Split(",v1=")[1];
        var newSig = FakeStripeServer.Sign(Body, "whsec_new", t).Split(",v1=")[1];
        var header = $"t={t},v1={oldSig},v1={newSig},v0=deadbeef";

        Assert.True(StripeSignature.IsValid(header, Encoding.UTF8.GetBytes(Body), ["whsec_new"], Now, Tolerance));
        Assert.True(StripeSignature.IsValid(header, Encoding.UTF8.GetBytes(Body), ["whsec_old", "whsec_new"], Now, Tolerance));
        Assert.False(StripeSignature.IsValid(header, Encoding.UTF8.GetBytes(Body), ["whsec_gone"], Now, Tolerance));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("t=abc,v1=00")]
    [InlineData("v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")]
    [InlineData("t=1795338000")]
    [InlineData("t=1795338000,v0=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")]
    [InlineData("garbage")]
    public void A_malformed_header_fails(string? header) => Assert.False(Check(header));

    private static bool Check(string? header) => StripeSignature.IsValid(header, Encoding.UTF8.GetBytes(Body), [Secret], Now, Tolerance);
}
