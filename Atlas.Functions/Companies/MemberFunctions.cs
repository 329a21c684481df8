using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Atlas.Functions.Ops;

namespace Atlas.Functions.Companies;

/// <summary>A company admin adds members by phone with a role, lists them and removes them.</summary>
public static class MemberFunctions
{
    public sealed record AddRequest(
        [property: Required] string? Phone,
        [property: Required, AllowedValues(Core.Auth.Role.Driver, Core.Auth.Role.Dispatcher, Core.Auth.Role.CompanyAdmin)] Role? Role);

    public sealed record MemberResponse(
        string Id, string Phone, [property: AllowedValues(Core.Auth.Role.Driver, Core.Auth.Role.Dispatcher, Core.Auth.Role.CompanyAdmin)] Role Role, DateTimeOffset AddedAt)
    {
        public static MemberResponse From(Member member) => new(member.Id, member.Phone, member.Role, member.AddedAt);
    }

    [Function("ListMembers")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(Page<MemberResponse>))]
    public static Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/members")] HttpRequest http,
        string companyId, string? after, int? limit, Caller caller, CompanyStore companies, CancellationToken ct) =>
        CompanyLists.PageAsync(
            companyId, after, limit, caller, companies, p => companies.ListMembersAsync(companyId, p.After, p.Limit, ct), MemberResponse.From, ct);

    [Function("AddMember")]
    [Audited("member.add")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status201Created, typeof(MemberResponse))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> AddAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "companies/{companyId}/members")] HttpRequest http,
        string companyId,
        [Body] AddRequest request,
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
        if (!await companies.IsCurrentMemberAsync(caller, companyId, ct))
        {
            return Problems.NotFound($"Company '{companyId}'");
        }

        var errors = new Dictionary<string, string[]>();
        if (!PhoneNumber.TryParse(request.Phone, out var phone))
        {
            errors["phone"] = [PhoneNumber.Rule];
        }
        else if (platformAdmins.Contains(phone))
        {
            errors["phone"] = [PlatformAdmins.MemberRule];
        }

        if (request.Role is not { } role || !Roles.IsCompanyRole(role))
        {
            errors["role"] = ["role is one of driver, dispatcher, companyAdmin."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (id, answer) = await keys.CreateOnceAsync(
            idempotencyKey,
            $"members|{companyId}|{caller.UserId}",
            IdempotencyKeys.Fingerprint(phone.Value, request.Role),
            random.NewId("mem"),
            async made => await companies.FindMemberAsync(companyId, made, ct) is { } member ? Created(companyId, member) : null,
            ct);
        if (answer is not null)
        {
            return answer;
        }

        var member = new Member(id, phone.Value, request.Role!.Value, clock.GetUtcNow());
        // The phone's account owns "one company per phone"; the member row follows it. A retry after a crash
        // between the two finds the account already joined with the same member id and writes the row.
        var (account, _) = await accounts.GetAsync(phone.Digits, ct);
        if (account.Membership is { } existing && existing.CompanyId == companyId && existing.Role == member.Role
            && await companies.FindMemberAsync(companyId, existing.MemberId, ct) is null)
        {
            member = member with { Id = existing.MemberId };
        }

        var joined = await accounts.ExecuteAsync(phone.Digits, new JoinCompany(companyId, member.Id, member.Role), ct);
        if (Problems.Failure(joined) is { } refused)
        {
            return refused;
        }

        return await companies.AddMemberAsync(companyId, member, ct)
            ? Created(companyId, member)
            : Problems.Rejected(new Rejection("already-member", "This phone is already a member of the company."));
    }

    private static IResult Created(string companyId, Member member) =>
        Results.Created($"/api/companies/{companyId}/members/{member.Id}", MemberResponse.From(member));

    [Function("GetMember")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(MemberResponse))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/members/{memberId}")] HttpRequest http,
        string companyId, string memberId, Caller caller, CompanyStore companies, CancellationToken ct) =>
        await FindAsync(companyId, memberId, caller, companies, ct) is { } member
            ? Results.Ok(MemberResponse.From(member))
            : Problems.NotFound($"Member '{memberId}'");

    [Function("RemoveMember")]
    [Audited("member.remove")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> RemoveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "companies/{companyId}/members/{memberId}")] HttpRequest http,
        string companyId,
        string memberId,
        Caller caller,
        CompanyStore companies,
        DriverLocator locator,
        Lifecycle<Account, AccountCommand> accounts,
        CancellationToken ct)
    {
        if (await FindAsync(companyId, memberId, caller, companies, ct) is not { } member)
        {
            return Problems.NotFound($"Member '{memberId}'");
        }

        if (member.Id == caller.MemberId)
        {
            return Problems.Rejected(new Rejection("cannot-remove-self", "An admin cannot remove themselves; ask another admin."));
        }

        // The account first: the next token refresh no longer carries the company.
        var left = await accounts.ExecuteAsync(PhoneNumber.FromStored(member.Phone).Digits, new LeaveCompany(companyId, member.Id), ct);
        if (left.Status == CommandStatus.Contended)
        {
            return Problems.Contended();
        }

        // A removed driver leaves the locator too, so no booking invites them.
        if (member.Role == Role.Driver && await companies.FindDriverAsync(companyId, member.Id, ct) is { Cell: { } cell })
        {
            await locator.RemoveAsync(cell, member.Id, ct);
        }

        await companies.RemoveMemberAsync(companyId, member, ct);
        return Results.NoContent();
    }

    private static async Task<Member?> FindAsync(string companyId, string memberId, Caller caller, CompanyStore companies, CancellationToken ct) =>
        await companies.IsCurrentMemberAsync(caller, companyId, ct) && LifecycleKeys.IsValidId(memberId) ? await companies.FindMemberAsync(companyId, memberId, ct) : null;
}
