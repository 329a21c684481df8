using System.Net;
using System.Text.Json;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Privacy;

/// <summary>GET /api/me/export: everything Atlas holds about the caller, as one document, without a secret in it, and
/// nothing of anyone else's.</summary>
public sealed class ExportTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    /// <summary>Names no export property may have: each would be a secret.</summary>
    private static readonly string[] Secrets = ["token", "accessToken", "refreshToken", "tokenHash", "codeHash", "startCode", "clientSecret", "sealedCode", "code"];

    [Fact]
    public async Task The_export_holds_the_callers_account_sessions_devices_bookings_rides_ratings_and_payments_and_no_secret()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/rides/{rideId}/rating", new { stars = 5, comment = "Smooth" }));
        const string DeviceToken = "fcm-registration-token-that-never-comes-back-0123456789";
        await HttpAssert.JsonAsync(await rider.Client.PutAsJsonAsync("/api/me/devices/phone-1", new { platform = "android", token = DeviceToken }));
        await HttpAssert.JsonAsync(await rider.Client.PutAsJsonAsync("/api/me", new { language = "fr", email = "rider@example.com" }));

        using var response = await rider.Client.GetAsync("/api/me/export");
        var raw = await response.Content.ReadAsStringAsync();
        var export = await HttpAssert.JsonAsync(response);

        var account = export.GetProperty("account");
        Assert.Equal((rider.UserId, rider.Phone, "rider"), (Text(account, "userId"), Text(account, "phone"), Text(account, "role")));
        var profile = export.GetProperty("profile");
        Assert.Equal(("fr", "rider@example.com"), (Text(profile, "language"), Text(profile, "pendingEmail")));
        Assert.Contains(export.GetProperty("sessions").EnumerateArray(), s => Text(s, "status") == "active" && rider.RefreshToken.StartsWith(Text(s, "id") + ".", StringComparison.Ordinal));
        Assert.Equal("phone-1", Text(Assert.Single(export.GetProperty("devices").EnumerateArray()), "deviceId"));
        Assert.Equal(bookingId, Text(Assert.Single(export.GetProperty("bookings").EnumerateArray()), "id"));
        var ride = Assert.Single(export.GetProperty("rides").EnumerateArray());
        Assert.Equal((rideId, "rider", "completed"), (Text(ride, "id"), Text(ride, "as"), Text(ride, "status")));
        var rating = Assert.Single(export.GetProperty("ratingsGiven").EnumerateArray());
        Assert.Equal((rideId, "driver", 5, "Smooth"), (Text(rating, "rideId"), Text(rating, "of"), rating.GetProperty("stars").GetInt32(), Text(rating, "comment")));

        var payments = export.GetProperty("payments");
        var captured = (await PaymentAsync(rider, rideId)).GetProperty("captured").GetInt64();
        Assert.StartsWith("cus_", Text(payments, "stripeCustomerId"), StringComparison.Ordinal);
        Assert.Equal("4242", Text(payments.GetProperty("card"), "last4"));
        var payment = Assert.Single(payments.GetProperty("rides").EnumerateArray());
        Assert.Equal((rideId, "captured", captured), (Text(payment, "rideId"), Text(payment, "status"), payment.GetProperty("captured").GetInt64()));
        var receipt = Assert.Single(payments.GetProperty("receipts").EnumerateArray());
        Assert.Equal((rideId, captured), (Text(receipt, "rideId"), receipt.GetProperty("total").GetInt64()));
        Assert.Empty(payments.GetProperty("earnings").EnumerateArray());

        Assert.DoesNotContain(DeviceToken, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(rider.RefreshToken.Split('.')[2], raw, StringComparison.Ordinal);
        Assert.DoesNotContain(rider.AccessToken, raw, StringComparison.Ordinal);
        Assert.Empty(PropertyNames(export).Intersect(Secrets, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_drivers_export_holds_their_driver_profile_the_rides_they_drove_and_what_each_earned_them()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var share = (await PaymentAsync(company.Driver, rideId)).GetProperty("driverShare").GetInt64();

        var export = await Erasing.ExportAsync(company.Driver);

        var account = export.GetProperty("account");
        Assert.Equal(("driver", company.Id, company.Driver.MemberId), (Text(account, "role"), Text(account, "companyId"), Text(account, "memberId")));
        Assert.Equal("Dee Driver", Text(export.GetProperty("driver"), "name"));
        var ride = Assert.Single(export.GetProperty("rides").EnumerateArray());
        Assert.Equal((rideId, "driver"), (Text(ride, "id"), Text(ride, "as")));
        Assert.Empty(export.GetProperty("bookings").EnumerateArray());
        var earning = Assert.Single(export.GetProperty("payments").GetProperty("earnings").EnumerateArray());
        Assert.Equal(("capture", rideId, share), (Text(earning, "kind"), Text(earning, "rideId"), earning.GetProperty("earned").GetInt64()));
    }

    [Fact]
    public async Task The_export_shows_only_the_callers_own_data_and_needs_a_token()
    {
        var booker = await Accounts.SignInAsync(app);
        var bookingId = (await BookAsync(app, booker)).GetProperty("id").GetString()!;
        var other = await Accounts.SignInAsync(app, withCard: false);

        using var response = await other.Client.GetAsync("/api/me/export");
        var raw = await response.Content.ReadAsStringAsync();
        var export = await HttpAssert.JsonAsync(response);

        Assert.Equal(other.UserId, Text(export.GetProperty("account"), "userId"));
        Assert.Empty(export.GetProperty("bookings").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, export.GetProperty("payments").GetProperty("card").ValueKind);
        Assert.Single(export.GetProperty("sessions").EnumerateArray());
        foreach (var theirs in new[] { booker.UserId, booker.Phone, bookingId })
        {
            Assert.DoesNotContain(theirs, raw, StringComparison.Ordinal);
        }

        await HttpAssert.ProblemAsync(await app.CreateClient().GetAsync("/api/me/export"), HttpStatusCode.Unauthorized);
    }

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };
}
