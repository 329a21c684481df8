using Atlas.Tests.Infrastructure;
using Atlas.Tests.Notifications;
using static Atlas.Tests.Privacy.Erasing;

namespace Atlas.Tests.Privacy;

/// <summary>Texts sent through Twilio appear in their phone owner's export as what they carried, when and how delivery
/// went, never their body; an erasure unlinks them from the phone, so its next owner does not see them.</summary>
public sealed class ExportTextsTests(ProviderApp providers) : IClassFixture<ProviderApp>
{
    private AtlasAppFactory App => providers.App;

    [Fact]
    public async Task The_export_lists_the_texts_to_the_callers_phone_without_their_body_and_an_erasure_unlinks_them()
    {
        var rider = await Accounts.SignInAsync(App, withCard: false);

        using var response = await rider.Client.GetAsync("/api/me/export");
        var raw = await response.Content.ReadAsStringAsync();
        var text = Assert.Single((await HttpAssert.JsonAsync(response)).GetProperty("texts").EnumerateArray());

        Assert.Equal("sign-in-code", text.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrEmpty(text.GetProperty("status").GetString()));
        Assert.DoesNotContain("sign-in code", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Atlas.Testing.SmsCodes.In(providers.Twilio.Texts.Last(t => t.To == rider.Phone).Body), raw, StringComparison.Ordinal);

        await EraseAsync(App, rider);
        var again = await Accounts.SignInAsync(App, rider.Phone, withCard: false);

        Assert.Equal(3, providers.Twilio.Texts.Count(t => t.To == rider.Phone));
        Assert.Single((await ExportAsync(again)).GetProperty("texts").EnumerateArray());
    }
}
