using System.Net;
using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

/// <summary>Every route that takes ids, called by one company with another company's ids: 404, and nothing changes.</summary>
public sealed partial class TenancyTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    // Routes with ids that are not company data: the platform admins' own (ops view, refunds, fees, settlements),
    // the catch-all that answers unknown paths, the console's static files, and bids: an open booking is a marketplace every driver may bid on, whatever their company.
    private static readonly string[] NotCompanyScoped =
    [
        "GetLifecycle", "GetFlow", "NoRoute", "PlaceBid", "WithdrawBid", "RefundRide", "GetPlatformFee", "SetPlatformFee", "GetSettlement",
        "GetStripeEvent", "PutMyDevice", "DeleteMyDevice", "Console",
        "ReplayPoisonedMessage", "DiscardPoisonedMessage", "ReplayStripeEvent", "ListCompanyMembersForOps",
    ];

    [Fact]
    public async Task Every_route_with_another_companys_ids_is_404_and_changes_nothing()
    {
        var ours = await TestCompany.CreateAsync(app, "Ours");
        var theirs = await TestCompany.CreateAsync(app, "Theirs");
        var (bookingId, rideId) = await Marketplace.AssignedRideAsync(app, theirs.Dispatcher, theirs);
        var routes = FunctionIndex.App.Http
            .Where(f => f.Route.Contains('{', StringComparison.Ordinal) && !NotCompanyScoped.Contains(f.Name))
            .ToList();
        Assert.NotEmpty(routes);

        foreach (var route in routes)
        {
            var caller = CallerFor(route.Access!, ours);
            var path = "/api/" + Placeholder().Replace(route.Route, m => m.Groups[1].Value switch
            {
                "companyId" => theirs.Id,
                "memberId" or "driverId" => theirs.Driver.MemberId!,
                "vehicleId" => theirs.VehicleId,
                "bookingId" => bookingId,
                "rideId" => rideId,
                var other => throw new InvalidOperationException($"{route.Name}: no id of another company for {{{other}}}; add it here."),
            });
            using var request = new HttpRequestMessage(new HttpMethod(route.Methods.Single()), path) { Content = ValidBodyFor(route.Name) };

            var response = await caller.Client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route.Name} {route.Methods.Single()} {path} as {caller.Role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // Their data is as it was.
        var members = await HttpAssert.JsonAsync(await theirs.Admin.Client.GetAsync($"/api/companies/{theirs.Id}/members"));
        Assert.Equal(3, members.GetProperty("items").GetArrayLength());
        await HttpAssert.JsonAsync(await theirs.Admin.Client.GetAsync($"/api/companies/{theirs.Id}/vehicles/{theirs.VehicleId}"));
        Assert.Equal("assigned", (await Marketplace.GetBookingAsync(theirs.Dispatcher, bookingId)).GetProperty("status").GetString());
        var ride = await Marketplace.GetRideAsync(theirs.Dispatcher, rideId);
        Assert.Equal("assigned", ride.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, ride.GetProperty("driver").GetProperty("lastLocation").ValueKind);
        Assert.Equal(60, (await HttpAssert.JsonAsync(await theirs.Admin.Client.GetAsync($"/api/companies/{theirs.Id}/settings"))).GetProperty("bidWindowSeconds").GetInt32());
    }

    [Fact]
    public async Task A_driver_cannot_pick_another_companys_vehicle()
    {
        var ours = await TestCompany.CreateAsync(app, "Ours");
        var theirs = await TestCompany.CreateAsync(app, "Theirs");

        var response = await ours.Driver.Client.PutAsJsonAsync("/api/drivers/me", new { name = "Dee", licenceNumber = "DL12345", vehicleId = theirs.VehicleId });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    private static SignedIn CallerFor(Atlas.Functions.Auth.Access access, TestCompany company) =>
        access.Allows(Role.CompanyAdmin) ? company.Admin
        : access.Allows(Role.Dispatcher) ? company.Dispatcher
        : access.Allows(Role.Driver) ? company.Driver
        : throw new InvalidOperationException("A company-scoped route that no company role may call.");

    private static HttpContent? ValidBodyFor(string function) => function switch
    {
        "AddMember" => JsonContent.Create(new { phone = Accounts.NewPhone(), role = "driver" }),
        "AddVehicle" => JsonContent.Create(new { type = "car", capacity = new { seats = 4 }, plate = "ZZ999" }),
        "UpdateCompanySettings" => JsonContent.Create(new { bidWindowSeconds = 30 }),
        "CancelBooking" => JsonContent.Create(new { reason = "other" }),
        "StartRide" => JsonContent.Create(new { code = "1234" }),
        "CancelRide" => JsonContent.Create(new { reason = "other" }),
        "ReportRideLocation" => JsonContent.Create(new { lat = 51.5, lng = -0.1 }),
        "RateRide" => JsonContent.Create(new { stars = 1 }),
        "TipRide" => JsonContent.Create(new { amount = 100 }),
        _ => null,
    };

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
