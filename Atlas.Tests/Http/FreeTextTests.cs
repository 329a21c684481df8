using System.Net;
using Atlas.Core.Common;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Http;

/// <summary>Text people type (a company's name, a driver's name, a rating's comment) may not hide characters that make
/// it show other than it reads: controls, bidirectional overrides, line and paragraph separators. Each is a 400 naming
/// the field, and nothing is written.</summary>
public sealed class FreeTextTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    public static TheoryData<string> Hidden => new() { "\0", "\a", "\u001b", "\n", "\u202E", "\u2066", "\u200F", "\u2028", "\u2029" };

    [Theory]
    [MemberData(nameof(Hidden))]
    public async Task A_company_name_with_a_hidden_character_is_refused(string hidden)
    {
        var admin = await Accounts.PlatformAdminAsync(app);

        var response = await admin.Client.PostAsJsonAsync("/api/companies", new { name = $"Acme{hidden}gpj.exe", adminPhone = Accounts.NewPhone() });

        await HttpAssert.ValidationProblemAsync(response, "name");
    }

    [Theory]
    [MemberData(nameof(Hidden))]
    public async Task A_drivers_name_with_a_hidden_character_is_refused_and_the_profile_stays_empty(string hidden)
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await company.Driver.Client.PutAsJsonAsync("/api/drivers/me", new { name = $"Dee{hidden}Rivers", licenceNumber = "DL123456" });

        await HttpAssert.ValidationProblemAsync(response, "name");
        var profile = await HttpAssert.JsonAsync(await company.Driver.Client.GetAsync("/api/drivers/me"));
        Assert.NotEqual($"Dee{hidden}Rivers", profile.TryGetProperty("name", out var name) ? name.GetString() : null);
    }

    [Fact]
    public async Task A_rating_comment_with_a_bidi_override_is_refused_and_a_plain_one_with_any_script_is_kept()
    {
        var company = await TestCompany.CreateAsync(app);
        var rider = await Accounts.SignInAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await Money.CompleteAsync(app, rider, company.Driver, rideId);

        var hidden = await RideActionAsync(rider, rideId, "rating", new { stars = 5, comment = "Great \u202Edriver" });
        var plain = await RideActionAsync(rider, rideId, "rating", new { stars = 5, comment = "Zoë was great — 谢谢! 👍" });

        await HttpAssert.ValidationProblemAsync(hidden, "comment");
        await HttpAssert.JsonAsync(plain);
    }

    [Fact]
    public void Letters_of_any_script_punctuation_and_emoji_are_not_hidden()
    {
        Assert.False(FreeText.HasHiddenCharacters("Zoë O'Brien-Łukasz 李 — ✓ 👍"));
        Assert.True(FreeText.HasHiddenCharacters("abc\u202Edef"));
    }
}
