using System.Net;
using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Functions;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

/// <summary>Every route that takes ids, called by one company with another company's ids: 404, and nothing changes.</summary>
public sealed partial class TenancyTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    // Routes with ids that are not company data: the ops view (platform admins only) and the test sample.
    private static readonly string[] NotCompanyScoped = ["GetLifecycle", "OpenJob", "AddWork", "GetJob"];

    [Fact]
    public async Task Every_route_with_another_companys_ids_is_404_and_changes_nothing()
    {
        var ours = await TestCompany.CreateAsync(app, "Ours");
        var theirs = await TestCompany.CreateAsync(app, "Theirs");
        var routes = app.Services.GetRequiredService<FunctionCatalog>().All.OfType<HttpFunction>()
            .Where(f => f.Route.Contains('{', StringComparison.Ordinal) && !NotCompanyScoped.Contains(f.Name))
            .ToList();
        Assert.NotEmpty(routes);

        foreach (var route in routes)
        {
            var caller = CallerFor(route.Access, ours);
            var path = "/api/" + Placeholder().Replace(route.Route, m => m.Groups[1].Value switch
            {
                "companyId" => theirs.Id,
                "memberId" or "driverId" => theirs.Driver.MemberId!,
                "vehicleId" => theirs.VehicleId,
                var other => throw new InvalidOperationException($"{route.Name}: no id of another company for {{{other}}}; add it here."),
            });
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = ValidBodyFor(route.Name) };

            var response = await caller.Client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route.Name} {route.Method} {path} as {caller.Role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // Their data is as it was.
        var members = await HttpAssert.JsonAsync(await theirs.Admin.Client.GetAsync($"/api/companies/{theirs.Id}/members"));
        Assert.Equal(3, members.GetProperty("items").GetArrayLength());
        await HttpAssert.JsonAsync(await theirs.Admin.Client.GetAsync($"/api/companies/{theirs.Id}/vehicles/{theirs.VehicleId}"));
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
        _ => null,
    };

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
