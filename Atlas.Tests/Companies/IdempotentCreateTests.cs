using System.Net;
using System.Text.Json;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

/// <summary>Creating companies, members and vehicles with an Idempotency-Key: a retry gets what the first request
/// made, the same key with another body is a 422. (Without a key a replay is refused by the natural keys.)</summary>
public sealed class IdempotentCreateTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_retried_company_creation_answers_with_the_company_the_first_made()
    {
        var platform = await Accounts.PlatformAdminAsync(app);
        var key = Guid.NewGuid().ToString();
        var body = new { name = "Retry Cabs", adminPhone = Accounts.NewPhone() };

        var first = await HttpAssert.JsonAsync(await PostAsync(platform, "/api/companies", body, key), HttpStatusCode.Created);
        var again = await HttpAssert.JsonAsync(await PostAsync(platform, "/api/companies", body, key), HttpStatusCode.Created);
        var other = await PostAsync(platform, "/api/companies", body with { name = "Other Cabs" }, key);

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("admin").GetProperty("id").GetString(), again.GetProperty("admin").GetProperty("id").GetString());
        Assert.Equal("idempotency-key-reused", (await HttpAssert.ProblemAsync(other, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_retried_member_addition_answers_with_the_member_the_first_added()
    {
        var company = await TestCompany.CreateAsync(app);
        var key = Guid.NewGuid().ToString();
        var phone = Accounts.NewPhone();
        var path = $"/api/companies/{company.Id}/members";

        var first = await HttpAssert.JsonAsync(await PostAsync(company.Admin, path, new { phone, role = "driver" }, key), HttpStatusCode.Created);
        var again = await HttpAssert.JsonAsync(await PostAsync(company.Admin, path, new { phone, role = "driver" }, key), HttpStatusCode.Created);
        var other = await PostAsync(company.Admin, path, new { phone, role = "dispatcher" }, key);

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        await HttpAssert.ProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        var members = await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync(path));
        Assert.Single(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("phone").GetString() == phone);
    }

    [Fact]
    public async Task A_retried_vehicle_addition_answers_with_the_vehicle_the_first_added()
    {
        var company = await TestCompany.CreateAsync(app);
        var key = Guid.NewGuid().ToString();
        var path = $"/api/companies/{company.Id}/vehicles";
        var body = new { type = "van", capacity = new { kg = 900 }, plate = "ID3 MPT" };

        var first = await HttpAssert.JsonAsync(await PostAsync(company.Admin, path, body, key), HttpStatusCode.Created);
        var again = await HttpAssert.JsonAsync(await PostAsync(company.Admin, path, body, key), HttpStatusCode.Created);
        var other = await PostAsync(company.Admin, path, body with { plate = "OTH 3R" }, key);

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        await HttpAssert.ProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        var vehicles = await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync(path));
        Assert.Equal(2, vehicles.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_malformed_key_is_a_400_naming_the_header()
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await PostAsync(
            company.Admin, $"/api/companies/{company.Id}/vehicles", new { type = "car", capacity = new { seats = 4 }, plate = "BAD K3Y" }, new string('k', 256));

        await HttpAssert.ValidationProblemAsync(response, "Idempotency-Key");
    }

    private static async Task<HttpResponseMessage> PostAsync<T>(SignedIn caller, string path, T body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)) };
        request.Headers.Add("Idempotency-Key", key);
        return await caller.Client.SendAsync(request);
    }
}
