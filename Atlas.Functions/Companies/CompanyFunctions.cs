using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Companies;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Companies;

/// <summary>Platform admins create companies (with their first admin); members read their own company.</summary>
public static class CompanyFunctions
{
    public sealed record CreateRequest([property: Required] string? Name, [property: Required] string? AdminPhone);

    public sealed record CompanyResponse(string Id, string Name, DateTimeOffset CreatedAt);

    public sealed record CreatedResponse(string Id, string Name, DateTimeOffset CreatedAt, MemberFunctions.MemberResponse Admin);

    [Function("CreateCompany")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status201Created, typeof(CreatedResponse))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "companies")] HttpRequest http,
        [Body] CreateRequest request,
        [IdempotencyKey] string? idempotencyKey,
        Caller caller,
        CompanyStore companies,
        Lifecycle<Account, AccountCommand> accounts,
        PlatformAdmins platformAdmins,
        IdempotencyKeys keys,
        RandomSource random,
        TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = ProfileText.Name(request.Name);
        if (name is null)
        {
            errors["name"] = [ProfileText.NameRule];
        }

        if (!PhoneNumber.TryParse(request.AdminPhone, out var adminPhone))
        {
            errors["adminPhone"] = [PhoneNumber.Rule];
        }
        else if (platformAdmins.Contains(adminPhone))
        {
            errors["adminPhone"] = [PlatformAdmins.MemberRule];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // A retry answers with what the first request made; if a crash stopped it after the account joined, the
        // company is made now under the member id the account already holds.
        var memberId = random.NewId("mem");
        var (id, answer) = await keys.CreateOnceAsync(
            idempotencyKey,
            $"companies|{caller.UserId}",
            IdempotencyKeys.Fingerprint(name, adminPhone.Value),
            random.NewId("co"),
            async made =>
            {
                if ((await accounts.GetAsync(adminPhone.Digits, ct)).State.Membership is not { } membership || membership.CompanyId != made)
                {
                    return null;
                }

                memberId = membership.MemberId;
                return await companies.FindAsync(made, ct) is { } company && await companies.FindMemberAsync(made, memberId, ct) is { } admin
                    ? Created(company, admin)
                    : null;
            },
            ct);
        if (answer is not null)
        {
            return answer;
        }

        // The phone's account decides first (one company per phone); nothing is written if it says no.
        var company = new Company(id, name!, clock.GetUtcNow());
        var admin = new Member(memberId, adminPhone.Value, Role.CompanyAdmin, company.CreatedAt);
        var joined = await accounts.ExecuteAsync(adminPhone.Digits, new JoinCompany(company.Id, admin.Id, admin.Role), ct);
        if (Problems.Failure(joined) is { } refused)
        {
            return refused;
        }

        await companies.CreateAsync(company, admin, ct);
        return Created(company, admin);
    }

    private static IResult Created(Company company, Member admin) => Results.Created(
        $"/api/companies/{company.Id}",
        new CreatedResponse(company.Id, company.Name, company.CreatedAt, MemberFunctions.MemberResponse.From(admin)));

    [Function("GetCompany")]
    [Roles(Role.PlatformAdmin, Role.CompanyAdmin, Role.Dispatcher, Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(CompanyResponse))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}")] HttpRequest http,
        string companyId, Caller caller, CompanyStore companies, CancellationToken ct)
    {
        var visible = caller.Role == Role.PlatformAdmin || await companies.IsCurrentMemberAsync(caller, companyId, ct);
        return visible && LifecycleKeys.IsValidId(companyId) && await companies.FindAsync(companyId, ct) is { } company
            ? Results.Ok(new CompanyResponse(company.Id, company.Name, company.CreatedAt))
            : Problems.NotFound($"Company '{companyId}'");
    }
}
