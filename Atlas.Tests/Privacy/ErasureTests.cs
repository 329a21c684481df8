using System.Net;
using System.Text.Json;
using Atlas.Functions.Auth;
using Atlas.Functions.Notifications;
using Atlas.Functions.Payments;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Privacy.Erasing;

namespace Atlas.Tests.Privacy;

/// <summary>DELETE /api/me: confirmed by a fresh code of the caller's own phone, it ends the account for good, erases
/// what identifies the user (and their Stripe customer), and lets the phone sign up afresh.</summary>
public sealed class ErasureTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task Erasing_needs_a_fresh_code_from_a_challenge_of_the_callers_own_phone_and_a_wrong_one_erases_nothing()
    {
        var rider = await Accounts.SignInAsync(app, withCard: false);
        var stranger = await Accounts.SignInAsync(app, withCard: false);

        var missing = await HttpAssert.ProblemAsync(await DeleteAsync(rider, new { }), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("challengeId", out _) && missing.GetProperty("errors").TryGetProperty("code", out _), missing.ToString());
        await HttpAssert.ValidationProblemAsync(await DeleteAsync(rider, new { challengeId = "ch_1", code = "12ab56" }), "code");
        await HttpAssert.ValidationProblemAsync(await DeleteAsync(rider, new { challengeId = "not an id", code = "123456" }), "challengeId");

        var (theirs, theirCode) = await FreshCodeAsync(app, stranger);
        Assert.Equal("challenge-for-another-phone", Code(await HttpAssert.ProblemAsync(
            await DeleteAsync(rider, new { challengeId = theirs, code = theirCode }), HttpStatusCode.Conflict)));

        var (mine, code) = await FreshCodeAsync(app, rider);
        var wrong = await HttpAssert.ProblemAsync(
            await DeleteAsync(rider, new { challengeId = mine, code = code == "000000" ? "111111" : "000000" }), HttpStatusCode.BadRequest);
        Assert.Equal(("code-incorrect", 4), (Code(wrong), wrong.GetProperty("attemptsLeft").GetInt32()));

        app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("challenge-expired", Code(await HttpAssert.ProblemAsync(await DeleteAsync(rider, new { challengeId = mine, code }), HttpStatusCode.Conflict)));

        // The code that signed in is used up: it confirms nothing else.
        var phone = Accounts.NewPhone();
        var anonymous = app.CreateClient();
        var signInChallenge = await Accounts.StartAsync(anonymous, phone);
        var signInCode = await Accounts.LatestCodeAsync(app, anonymous, phone);
        var signedIn = Accounts.Read(app, await HttpAssert.JsonAsync(await Accounts.VerifyAsync(anonymous, signInChallenge, signInCode)));
        Assert.Equal("challenge-used", Code(await HttpAssert.ProblemAsync(
            await DeleteAsync(signedIn, new { challengeId = signInChallenge, code = signInCode }), HttpStatusCode.Conflict)));

        // Nothing was erased: the accounts sign in (refresh) and keep their profiles.
        foreach (var caller in new[] { rider, stranger, signedIn })
        {
            await Accounts.RefreshAsync(app, caller);
            Assert.NotNull(await app.Services.GetRequiredService<UserProfiles>().FindAsync(caller.UserId, default));
        }
    }

    [Fact]
    public async Task An_erased_account_cannot_come_back_its_stripe_customer_is_deleted_and_its_phone_signs_up_as_a_new_user()
    {
        var rider = await Accounts.SignInAsync(app);
        var customerId = (await app.Services.GetRequiredService<PaymentProfiles>().FindAsync(rider.UserId, default))!.CustomerId;
        await HttpAssert.JsonAsync(await rider.Client.PutAsJsonAsync("/api/me/devices/phone-1", new { platform = "ios", token = "fcm-token-1" }));
        await HttpAssert.JsonAsync(await rider.Client.PutAsJsonAsync("/api/me", new { language = "fr" }));

        var (challengeId, code) = await FreshCodeAsync(app, rider);
        var accepted = await HttpAssert.JsonAsync(await DeleteAsync(rider, new { challengeId, code }), HttpStatusCode.Accepted);

        // At once, before the rest is erased: the session cannot be refreshed.
        Assert.Equal((rider.UserId, "erasing"), (accepted.GetProperty("userId").GetString(), accepted.GetProperty("status").GetString()));
        Assert.Equal("account-erased", Code(await HttpAssert.ProblemAsync(
            await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { rider.RefreshToken }), HttpStatusCode.Unauthorized)));

        await app.DrainAsync();
        Assert.Contains(app.Stripe.Requests, r => r.Method == "DELETE" && r.Path == $"/v1/customers/{customerId}");
        Assert.True((bool?)app.Stripe.State.Find(customerId)?["deleted"]);

        // Its tokens lead nowhere: the session is gone, the access token stores nothing again.
        await HttpAssert.ProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { rider.RefreshToken }), HttpStatusCode.Unauthorized);
        Assert.Equal("account-erased", Code(await HttpAssert.ProblemAsync(await rider.Client.PutAsJsonAsync("/api/me", new { language = "en" }), HttpStatusCode.Unauthorized)));
        Assert.Equal("account-erased", Code(await HttpAssert.ProblemAsync(
            await rider.Client.PutAsJsonAsync("/api/me/devices/phone-2", new { platform = "ios", token = "fcm-token-2" }), HttpStatusCode.Unauthorized)));
        Assert.Equal("account-erased", Code(await HttpAssert.ProblemAsync(
            await rider.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethodId = "pm_card_visa" }), HttpStatusCode.Unauthorized)));
        Assert.Equal("account-erased", Code(await HttpAssert.ProblemAsync(await rider.Client.GetAsync("/api/me/export"), HttpStatusCode.Unauthorized)));

        // Nothing that named them is left.
        var services = app.Services;
        Assert.Null(await services.GetRequiredService<UserProfiles>().FindAsync(rider.UserId, default));
        Assert.Empty(await services.GetRequiredService<Devices>().ListAsync(rider.UserId, default));
        Assert.Null(await services.GetRequiredService<PaymentProfiles>().FindAsync(rider.UserId, default));
        Assert.Empty(await services.GetRequiredService<UserSessions>().ListAsync(rider.UserId, default));

        // A retry says how it stands.
        var retried = await HttpAssert.JsonAsync(await DeleteAsync(rider, new { challengeId = "ch_retry", code = "123456" }), HttpStatusCode.Accepted);
        Assert.Equal("erased", retried.GetProperty("status").GetString());

        var again = await Accounts.SignInAsync(app, rider.Phone, withCard: false);
        Assert.NotEqual(rider.UserId, again.UserId);
        var fresh = await ExportAsync(again);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("profile").GetProperty("language").ValueKind);
        Assert.Empty(fresh.GetProperty("devices").EnumerateArray());
        Assert.Single(fresh.GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task A_rider_waiting_on_a_booking_is_told_to_end_it_first()
    {
        var rider = await Accounts.SignInAsync(app);
        var bookingId = (await BookAsync(app, rider)).GetProperty("id").GetString()!;
        var (challengeId, code) = await FreshCodeAsync(app, rider);

        var refused = await HttpAssert.ProblemAsync(await DeleteAsync(rider, new { challengeId, code }), HttpStatusCode.Conflict);

        Assert.Equal("active-booking", Code(refused));
        Assert.Contains(bookingId, refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "changedPlans" }));
        await HttpAssert.JsonAsync(await DeleteAsync(rider, new { challengeId, code }), HttpStatusCode.Accepted);
    }

    private static string? Code(JsonElement problem) => problem.GetProperty("code").GetString();
}
