using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

public sealed class VehicleTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_vehicle_is_added_with_its_plate_normalised_and_a_plate_is_unique_in_the_company()
    {
        var company = await TestCompany.CreateAsync(app);
        var admin = company.Admin.Client;

        var van = await HttpAssert.JsonAsync(
            await admin.PostAsJsonAsync($"/api/companies/{company.Id}/vehicles", new { type = "van", capacity = new { kg = 1200 }, plate = "ab-12 cde" }),
            HttpStatusCode.Created);
        Assert.Equal("AB12CDE", van.GetProperty("plate").GetString());
        Assert.Equal("van", van.GetProperty("type").GetString());
        Assert.Equal(1200, van.GetProperty("capacity").GetProperty("kg").GetInt32());

        var again = await HttpAssert.ProblemAsync(
            await admin.PostAsJsonAsync($"/api/companies/{company.Id}/vehicles", new { type = "car", capacity = new { seats = 4 }, plate = "AB12 CDE" }),
            HttpStatusCode.Conflict);
        Assert.Equal("plate-taken", again.GetProperty("code").GetString());

        var list = await HttpAssert.JsonAsync(await company.Dispatcher.Client.GetAsync($"/api/companies/{company.Id}/vehicles"));
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"type":"bike","capacity":{"seats":2},"plate":"B1"}""", "capacity")]
    [InlineData("""{"type":"truck","capacity":{"kg":50000},"plate":"T1"}""", "capacity")]
    [InlineData("""{"type":"car","capacity":{"seats":4,"kg":100},"plate":"C1"}""", "capacity")]
    [InlineData("""{"type":"car","capacity":{},"plate":"C1"}""", "capacity")]
    [InlineData("""{"type":"car","capacity":{"seats":0},"plate":"C1"}""", "capacity")]
    [InlineData("""{"type":"spaceship","capacity":{"seats":4},"plate":"C1"}""", "type")]
    [InlineData("""{"type":1,"capacity":{"seats":4},"plate":"C1"}""", "type")]
    [InlineData("""{"capacity":{"seats":4},"plate":"C1"}""", "type")]
    [InlineData("""{"type":"car","capacity":{"seats":"four"},"plate":"C1"}""", "capacity.seats")]
    [InlineData("""{"type":"car","capacity":{"seats":4},"plate":"C"}""", "plate")]
    [InlineData("""{"type":"car","capacity":{"seats":4},"plate":"ÄÖ-123"}""", "plate")]
    public async Task Bad_vehicles_are_400s_naming_the_field(string body, string field)
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await company.Admin.Client.PostAsync(
            $"/api/companies/{company.Id}/vehicles", RawJson.Of(body));

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task A_vehicle_a_driver_drives_cannot_be_removed_until_they_change()
    {
        var company = await TestCompany.CreateAsync(app);
        await company.Driver.Client.PutAsJsonAsync("/api/drivers/me", new { name = "Dee", licenceNumber = "DL12345", vehicleId = company.VehicleId });

        var inUse = await HttpAssert.ProblemAsync(
            await company.Admin.Client.DeleteAsync($"/api/companies/{company.Id}/vehicles/{company.VehicleId}"), HttpStatusCode.Conflict);
        Assert.Equal("vehicle-in-use", inUse.GetProperty("code").GetString());

        await company.Driver.Client.PutAsJsonAsync("/api/drivers/me", new { name = "Dee", licenceNumber = "DL12345" });
        var removed = await company.Admin.Client.DeleteAsync($"/api/companies/{company.Id}/vehicles/{company.VehicleId}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await HttpAssert.ProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/vehicles/{company.VehicleId}"), HttpStatusCode.NotFound);
    }
}
