using System.Net;
using System.Net.Http.Json;
using Atlas.Core.Ledger;
using Atlas.Core.Notifications;
using Atlas.Functions.Notifications;
using Atlas.Functions.Ledger;
using Atlas.Testing.Fakes;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Notifications;

/// <summary>An email proved by a code, and the rider's receipt mailed through SendGrid's client when the ride's payment
/// is captured: its figures are the ledger's; the driver's "you won" goes by text as well as push.</summary>
public sealed class EmailReceiptTests(ProviderApp providers) : IClassFixture<ProviderApp>
{
    private AtlasAppFactory App => providers.App;

    private FakeSendGrid SendGrid => providers.SendGrid;

    [Fact]
    public async Task An_email_counts_once_its_code_comes_back()
    {
        var user = await Accounts.SignInAsync(App, withCard: false);
        var address = $"{user.UserId.ToLowerInvariant()}@example.com";

        var pending = await HttpAssert.JsonAsync(await user.Client.PutAsJsonAsync("/api/me", new { email = address }));
        var again = await user.Client.PutAsJsonAsync("/api/me", new { email = address });
        var mail = Assert.Single(SendGrid.Mails, m => m.To == address);
        var code = Atlas.Testing.SmsCodes.In(mail.Text);
        var wrong = await user.Client.PostAsJsonAsync("/api/me/email/verify", new { code = code == "000000" ? "111111" : "000000" });
        var verified = await HttpAssert.JsonAsync(await user.Client.PostAsJsonAsync("/api/me/email/verify", new { code }));

        Assert.Equal((null, address), (Text(pending, "email"), Text(pending, "pendingEmail")));
        await HttpAssert.ProblemAsync(again, HttpStatusCode.TooManyRequests);
        Assert.Equal(4, (await HttpAssert.ProblemAsync(wrong, HttpStatusCode.BadRequest)).GetProperty("attemptsLeft").GetInt32());
        Assert.Equal((address, null), (Text(verified, "email"), Text(verified, "pendingEmail")));
        Assert.Equal(["email-verification"], mail.Categories);
    }

    [Theory]
    [InlineData("""{}""", "body")]
    [InlineData("""{"email":"not-an-email"}""", "email")]
    [InlineData("""{"email":"a@b.c\u202Eom"}""", "email")]
    [InlineData("""{"language":"de"}""", "language")]
    [InlineData("""{"email":42}""", "email")]
    public async Task A_bad_profile_change_is_400_naming_the_field(string body, string field)
    {
        var user = await Accounts.SignInAsync(App, withCard: false);

        var response = await user.Client.PutAsync("/api/me", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_completed_rides_receipt_is_mailed_once_with_the_ledgers_total_and_the_winner_is_texted()
    {
        var rider = await Accounts.SignInAsync(App);
        var address = $"{rider.UserId.ToLowerInvariant()}@example.com";
        await HttpAssert.JsonAsync(await rider.Client.PutAsJsonAsync("/api/me", new { email = address }));
        var code = Atlas.Testing.SmsCodes.In(SendGrid.Mails.Last(m => m.To == address).Text);
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync("/api/me/email/verify", new { code }));
        var company = await TestCompany.CreateAsync(App, "Receipt Cabs");

        var (bookingId, rideId) = await AssignedRideAsync(App, rider, company);
        await CompleteAsync(App, rider, company.Driver, rideId);
        await App.DrainAsync();
        var key = SendGrid.Mails.Single(m => m.To == address && m.Categories.Contains("receipt")).CustomArgs["atlas_key"];
        await App.Services.GetRequiredService<NoticeSending>().SendAsync(
            new Notice(rider.UserId, "payment.captured", bookingId, 1, rideId), key[..^"~email".Length], default);

        var receipt = Assert.Single(SendGrid.Mails, m => m.To == address && m.Categories.Contains("receipt"));
        var ledger = (await App.Services.GetRequiredService<LedgerStore>().ReadDriverAsync(company.Driver.MemberId!, default))
            .Where(t => t.RideId == rideId && t.Kind is "capture" or "tip")
            .SelectMany(t => t.Postings)
            .Where(p => p.Account == LedgerAccounts.StripeClearing)
            .Sum(p => p.Amount);
        Assert.True(ledger > 0);
        Assert.Contains($"Total: GBP {ledger / 100m:0.00}", receipt.Text, StringComparison.Ordinal);
        Assert.Contains($"Fare: GBP {ledger / 100m:0.00}", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("Paid with: visa •••• 4242", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("Driven by: Receipt Cabs", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("Pickup: 51.", receipt.Text, StringComparison.Ordinal);
        Assert.EndsWith("~email", receipt.CustomArgs["atlas_key"], StringComparison.Ordinal);
        var won = Assert.Single(providers.Twilio.Texts, t => t.To == company.Driver.Phone && t.Body.StartsWith("Atlas: You won", StringComparison.Ordinal));
        Assert.DoesNotContain(providers.Twilio.Texts, t => t.To == rider.Phone && t.Body.StartsWith("Atlas: ", StringComparison.Ordinal) && t.Body.Contains("won", StringComparison.Ordinal));
        Assert.Equal("+15005550006", won.From);
    }

    private static string? Text(System.Text.Json.JsonElement json, string name) =>
        json.GetProperty(name).ValueKind == System.Text.Json.JsonValueKind.Null ? null : json.GetProperty(name).GetString();
}
