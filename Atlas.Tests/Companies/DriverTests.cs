using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

public sealed class DriverTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_driver_fills_their_profile_goes_available_and_reports_location_which_dispatch_sees()
    {
        var company = await TestCompany.CreateAsync(app);
        var driver = company.Driver.Client;

        var empty = await HttpAssert.JsonAsync(await driver.GetAsync("/api/drivers/me"));
        Assert.False(empty.GetProperty("available").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, empty.GetProperty("rating").ValueKind);

        var notReady = await HttpAssert.ProblemAsync(await driver.PutAsJsonAsync("/api/drivers/me/availability", new { available = true }), HttpStatusCode.Conflict);
        Assert.Equal("profile-incomplete", notReady.GetProperty("code").GetString());

        var profile = await HttpAssert.JsonAsync(
            await driver.PutAsJsonAsync("/api/drivers/me", new { name = "Dee Rivers", licenceNumber = "dl-123 456", vehicleId = company.VehicleId }));
        Assert.Equal("DL123456", profile.GetProperty("licenceNumber").GetString());
        await HttpAssert.JsonAsync(await driver.PutAsJsonAsync("/api/drivers/me/availability", new { available = true }));
        Assert.Equal(HttpStatusCode.NoContent, (await driver.PostAsJsonAsync("/api/drivers/me/location", new { lat = 51.5072, lng = -0.1276 })).StatusCode);

        var seen = await HttpAssert.JsonAsync(await company.Dispatcher.Client.GetAsync($"/api/companies/{company.Id}/drivers/{company.Driver.MemberId}"));
        Assert.True(seen.GetProperty("available").GetBoolean());
        Assert.Equal(51.5072, seen.GetProperty("lastLocation").GetProperty("lat").GetDouble());
        Assert.Equal(app.Clock.GetUtcNow(), seen.GetProperty("lastLocation").GetProperty("at").GetDateTimeOffset());
        var list = await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/drivers"));
        Assert.Equal(company.Driver.MemberId, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"name":"Dee","licenceNumber":"DL12345","rating":5}""", "rating")]
    [InlineData("""{"name":"Dee","licenceNumber":"DL12345","role":"companyAdmin"}""", "role")]
    [InlineData("""{"name":"Dee","licenceNumber":"DL12345","companyId":"co_x"}""", "companyId")]
    [InlineData("""{"name":"Dee","licenceNumber":"DL12345","available":true}""", "available")]
    [InlineData("""{"name":"","licenceNumber":"DL12345"}""", "name")]
    [InlineData("""{"name":"Dee","licenceNumber":"D1"}""", "licenceNumber")]
    [InlineData("""{"name":"Dee","licenceNumber":"DL12345","vehicleId":"a/b"}""", "vehicleId")]
    [InlineData("""{"name":["Dee"],"licenceNumber":"DL12345"}""", "name")]
    public async Task A_profile_body_that_sets_what_it_may_not_or_breaks_a_rule_is_400(string body, string field)
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await company.Driver.Client.PutAsync("/api/drivers/me", RawJson.Of(body));

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Theory]
    [InlineData("""{"lat":91,"lng":0}""", "lat")]
    [InlineData("""{"lat":0,"lng":-180.5}""", "lng")]
    [InlineData("""{"lat":0}""", "lng")]
    [InlineData("""{"lat":"north","lng":0}""", "lat")]
    [InlineData("""{"lat":0,"lng":0,"status":"busy"}""", "status")]
    public async Task A_bad_location_is_400(string body, string field)
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await company.Driver.Client.PostAsync("/api/drivers/me/location", RawJson.Of(body));

        await HttpAssert.ValidationProblemAsync(response, field);
    }
}

/// <summary>Location reports under a low limit: an app of its own.</summary>
public sealed class DriverRateLimitTests
{
    [Fact]
    public async Task Location_reports_are_rate_limited_per_driver_with_retry_after()
    {
        await using var limited = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["RateLimits:location:PermitLimit"] = "3",
            ["RateLimits:location:Window"] = "01:00:00",
        });
        var company = await TestCompany.CreateAsync(limited);
        var other = await TestCompany.AddMemberAsync(limited, company.Admin, company.Id, "driver");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await company.Driver.Client.PostAsJsonAsync("/api/drivers/me/location", new { lat = 1, lng = 1 })).StatusCode);
        }

        var limitedResponse = await company.Driver.Client.PostAsJsonAsync("/api/drivers/me/location", new { lat = 1, lng = 1 });
        var problem = await HttpAssert.ProblemAsync(limitedResponse, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.NotNull(limitedResponse.Headers.RetryAfter);

        // Another driver has their own allowance.
        Assert.Equal(HttpStatusCode.NoContent, (await other.Client.PostAsJsonAsync("/api/drivers/me/location", new { lat = 1, lng = 1 })).StatusCode);
    }
}
