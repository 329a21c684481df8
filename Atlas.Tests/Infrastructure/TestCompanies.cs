using System.Net;

namespace Atlas.Tests.Infrastructure;

/// <summary>A company as a test needs it: its admin, a dispatcher and a driver (all signed in), and a vehicle.</summary>
public sealed record TestCompany(string Id, SignedIn Admin, SignedIn Dispatcher, SignedIn Driver, string VehicleId)
{
    /// <summary>Made through the API, the way a platform admin and a company admin would.</summary>
    public static async Task<TestCompany> CreateAsync(AtlasAppFactory app, string name = "Acme Logistics")
    {
        var platform = await Accounts.PlatformAdminAsync(app);
        var adminPhone = Accounts.NewPhone();
        var created = await HttpAssert.JsonAsync(
            await platform.Client.PostAsJsonAsync("/api/companies", new { name, adminPhone }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;

        var admin = await Accounts.SignInAsync(app, adminPhone);
        var dispatcher = await AddMemberAsync(app, admin, id, "dispatcher");
        var driver = await AddMemberAsync(app, admin, id, "driver");
        var vehicle = await HttpAssert.JsonAsync(
            await admin.Client.PostAsJsonAsync($"/api/companies/{id}/vehicles", new { type = "car", capacity = new { seats = 4 }, plate = $"AB{Random.Shared.Next(100000):D5}" }),
            HttpStatusCode.Created);
        return new TestCompany(id, admin, dispatcher, driver, vehicle.GetProperty("id").GetString()!);
    }

    /// <summary>The company admin adds a phone with a role; the phone signs in.</summary>
    public static async Task<SignedIn> AddMemberAsync(AtlasAppFactory app, SignedIn admin, string companyId, string role)
    {
        var phone = Accounts.NewPhone();
        await HttpAssert.JsonAsync(
            await admin.Client.PostAsJsonAsync($"/api/companies/{companyId}/members", new { phone, role }), HttpStatusCode.Created);
        return await Accounts.SignInAsync(app, phone);
    }
}
