using System.Net;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

/// <summary>Companies and their members through real HTTP: who gets which role, and the ugly inputs.</summary>
public sealed class CompanyTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_platform_admin_creates_a_company_whose_admin_signs_in_with_its_role()
    {
        var company = await TestCompany.CreateAsync(app, "Swift Vans");

        Assert.Equal("companyAdmin", company.Admin.Role);
        Assert.Equal(company.Id, company.Admin.CompanyId);
        Assert.Equal("dispatcher", company.Dispatcher.Role);
        Assert.Equal("driver", company.Driver.Role);
        var seen = await HttpAssert.JsonAsync(await company.Driver.Client.GetAsync($"/api/companies/{company.Id}"));
        Assert.Equal("Swift Vans", seen.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Creating_a_company_checks_every_field()
    {
        var platform = await Accounts.PlatformAdminAsync(app);

        await HttpAssert.ValidationProblemAsync(await platform.Client.PostAsJsonAsync("/api/companies", new { name = "", adminPhone = Accounts.NewPhone() }), "name");
        await HttpAssert.ValidationProblemAsync(await platform.Client.PostAsJsonAsync("/api/companies", new { name = new string('x', 101), adminPhone = Accounts.NewPhone() }), "name");
        await HttpAssert.ValidationProblemAsync(await platform.Client.PostAsJsonAsync("/api/companies", new { name = "Ok", adminPhone = "nope" }), "adminPhone");
        await HttpAssert.ValidationProblemAsync(await platform.Client.PostAsJsonAsync("/api/companies", new { name = "Ok", adminPhone = Accounts.NewPhone(), status = "active" }), "status");
    }

    [Fact]
    public async Task A_replayed_company_creation_is_a_409_not_a_second_company()
    {
        var platform = await Accounts.PlatformAdminAsync(app);
        var body = new { name = "Twice Ltd", adminPhone = Accounts.NewPhone() };
        var first = await HttpAssert.JsonAsync(await platform.Client.PostAsJsonAsync("/api/companies", body), HttpStatusCode.Created);

        var replay = await HttpAssert.ProblemAsync(await platform.Client.PostAsJsonAsync("/api/companies", body), HttpStatusCode.Conflict);

        Assert.Equal("member-of-another-company", replay.GetProperty("code").GetString());
        var admin = await Accounts.SignInAsync(app, body.adminPhone);
        Assert.Equal(first.GetProperty("id").GetString(), admin.CompanyId);
    }

    [Fact]
    public async Task The_admin_adds_lists_pages_and_removes_members()
    {
        var company = await TestCompany.CreateAsync(app);
        var admin = company.Admin.Client;

        var first = await HttpAssert.JsonAsync(await admin.GetAsync($"/api/companies/{company.Id}/members?limit=2"));
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var next = first.GetProperty("next").GetString();
        var second = await HttpAssert.JsonAsync(await admin.GetAsync($"/api/companies/{company.Id}/members?limit=2&after={next}"));
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next").ValueKind);
        var phones = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(m => m.GetProperty("phone").GetString()!).Order().ToList();
        Assert.Equal(new[] { company.Admin.Phone, company.Dispatcher.Phone, company.Driver.Phone }.Order().ToList(), phones);

        var removed = await admin.DeleteAsync($"/api/companies/{company.Id}/members/{company.Dispatcher.MemberId}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await HttpAssert.ProblemAsync(await admin.GetAsync($"/api/companies/{company.Id}/members/{company.Dispatcher.MemberId}"), HttpStatusCode.NotFound);

        // The removed phone's next session is a rider's.
        var refreshed = await HttpAssert.JsonAsync(await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { company.Dispatcher.RefreshToken }));
        Assert.Equal("rider", refreshed.GetProperty("user").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_phone_belongs_to_one_company_once()
    {
        var a = await TestCompany.CreateAsync(app);
        var b = await TestCompany.CreateAsync(app);

        var twice = await HttpAssert.ProblemAsync(
            await a.Admin.Client.PostAsJsonAsync($"/api/companies/{a.Id}/members", new { phone = a.Driver.Phone, role = "driver" }), HttpStatusCode.Conflict);
        Assert.Equal("already-member", twice.GetProperty("code").GetString());

        var taken = await HttpAssert.ProblemAsync(
            await b.Admin.Client.PostAsJsonAsync($"/api/companies/{b.Id}/members", new { phone = a.Driver.Phone, role = "driver" }), HttpStatusCode.Conflict);
        Assert.Equal("member-of-another-company", taken.GetProperty("code").GetString());
    }

    /// <summary>A platform admin's phone is the platform's: no company may take it on, in any role, nor be made with it
    /// as its admin; and the platform admin signs in as before.</summary>
    [Theory]
    [InlineData("driver")]
    [InlineData("dispatcher")]
    [InlineData("companyAdmin")]
    public async Task A_platform_admins_phone_cannot_join_a_company(string role)
    {
        var company = await TestCompany.CreateAsync(app);
        var platform = await Accounts.PlatformAdminAsync(app);

        var added = await company.Admin.Client.PostAsJsonAsync($"/api/companies/{company.Id}/members", new { phone = TestSettings.PlatformAdminPhone, role });
        var created = await platform.Client.PostAsJsonAsync("/api/companies", new { name = "Staff Cabs", adminPhone = TestSettings.PlatformAdminPhone });

        Assert.Equal(Atlas.Functions.Auth.PlatformAdmins.MemberRule, await HttpAssert.ValidationProblemAsync(added, "phone"));
        Assert.Equal(Atlas.Functions.Auth.PlatformAdmins.MemberRule, await HttpAssert.ValidationProblemAsync(created, "adminPhone"));
        var members = await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/members"));
        Assert.DoesNotContain(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("phone").GetString() == TestSettings.PlatformAdminPhone);
        var again = await Accounts.SignInAsync(app, TestSettings.PlatformAdminPhone, withCard: false);
        Assert.Equal("platformAdmin", again.Role);
    }

    [Theory]
    [InlineData("""{"phone":"+15550000001","role":"rider"}""", "role")]
    [InlineData("""{"phone":"+15550000001","role":"platformAdmin"}""", "role")]
    [InlineData("""{"phone":"+15550000001","role":"superuser"}""", "role")]
    [InlineData("""{"phone":"+15550000001","role":2}""", "role")]
    [InlineData("""{"phone":"+15550000001","role":"driver,dispatcher"}""", "role")]
    [InlineData("""{"phone":"+15550000001"}""", "role")]
    [InlineData("""{"phone":"0155","role":"driver"}""", "phone")]
    [InlineData("""{"phone":"+15550000001","role":"driver","companyId":"co_other"}""", "companyId")]
    [InlineData("""{"phone":"+15550000001","role":"driver","status":"active"}""", "status")]
    public async Task Adding_a_member_refuses_bad_fields_by_name(string body, string field)
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await company.Admin.Client.PostAsync(
            $"/api/companies/{company.Id}/members", RawJson.Of(body));

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task A_removed_member_can_do_nothing_in_the_company_with_the_token_they_still_hold()
    {
        var company = await TestCompany.CreateAsync(app);
        var second = await TestCompany.AddMemberAsync(app, company.Admin, company.Id, "companyAdmin");
        await HttpAssert.JsonAsync(await second.Client.GetAsync($"/api/companies/{company.Id}/members"));

        await company.Admin.Client.DeleteAsync($"/api/companies/{company.Id}/members/{second.MemberId}");

        await HttpAssert.ProblemAsync(await second.Client.GetAsync($"/api/companies/{company.Id}/members"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(
            await second.Client.PostAsJsonAsync($"/api/companies/{company.Id}/members", new { phone = Accounts.NewPhone(), role = "companyAdmin" }),
            HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await second.Client.GetAsync($"/api/companies/{company.Id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_companies_adding_one_phone_at_the_same_moment_get_it_once()
    {
        var a = await TestCompany.CreateAsync(app);
        var b = await TestCompany.CreateAsync(app);
        var phone = Accounts.NewPhone();

        var responses = await Task.WhenAll(
            a.Admin.Client.PostAsJsonAsync($"/api/companies/{a.Id}/members", new { phone, role = "driver" }),
            b.Admin.Client.PostAsJsonAsync($"/api/companies/{b.Id}/members", new { phone, role = "driver" }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        var driver = await Accounts.SignInAsync(app, phone);
        var winner = responses[0].StatusCode == HttpStatusCode.Created ? a : b;
        Assert.Equal(winner.Id, driver.CompanyId);
    }

    [Fact]
    public async Task Adding_again_after_a_crash_between_the_account_and_the_member_row_completes_the_member()
    {
        var company = await TestCompany.CreateAsync(app);
        var phone = Accounts.NewPhone();
        Atlas.Core.Auth.PhoneNumber.TryParse(phone, out var number);

        // The account joined (the first step of adding), then the process died before the member row.
        await app.Services.GetRequiredService<Atlas.Functions.Lifecycles.Lifecycle<Atlas.Core.Auth.Account, Atlas.Core.Auth.AccountCommand>>()
            .ExecuteAsync(number.Digits, new Atlas.Core.Auth.JoinCompany(company.Id, "mem_half-done", Atlas.Core.Auth.Role.Driver), default);

        var retried = await HttpAssert.JsonAsync(
            await company.Admin.Client.PostAsJsonAsync($"/api/companies/{company.Id}/members", new { phone, role = "driver" }), HttpStatusCode.Created);

        Assert.Equal("mem_half-done", retried.GetProperty("id").GetString());
        Assert.Equal("mem_half-done", (await Accounts.SignInAsync(app, phone)).MemberId);
    }

    [Fact]
    public async Task An_admin_cannot_remove_themselves()
    {
        var company = await TestCompany.CreateAsync(app);

        var problem = await HttpAssert.ProblemAsync(
            await company.Admin.Client.DeleteAsync($"/api/companies/{company.Id}/members/{company.Admin.MemberId}"), HttpStatusCode.Conflict);

        Assert.Equal("cannot-remove-self", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bad_paging_parameters_are_400s()
    {
        var company = await TestCompany.CreateAsync(app);

        await HttpAssert.ValidationProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/members?limit=0"), "limit");
        await HttpAssert.ValidationProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/members?limit=101"), "limit");
        await HttpAssert.ValidationProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/members?after=a%7Cb"), "after");
        await HttpAssert.ProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/members?limit=many"), HttpStatusCode.BadRequest);
    }
}
