using Atlas.Core.Common;

namespace Atlas.Core.Auth;

public sealed class AccountDecider(AccountRules rules) : Decider<Account, AccountCommand>
{
    public const string Name = "account";

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public AccountDecider()
        : this(AccountRules.Default)
    {
    }

    public override string Type => Name;

    public override Account Initial => Account.New;

    public override AccountCommand Timeout(DateTimeOffset deadline) => new AccountTimedOut(deadline);

    public override Decision<Account> Decide(Account state, AccountCommand command, DateTimeOffset now) => command switch
    {
        ReserveChallenge => Reserve(state, now),

        ClaimUser when state.UserId is not null => Decision<Account>.Ignore(),
        ClaimUser claim => Decision<Account>.Accept(state with { UserId = claim.NewUserId }, null),

        JoinCompany join when state.Membership is null => Decision<Account>.Accept(
            state with { Membership = new Membership(join.CompanyId, join.MemberId, join.Role) }, null),
        JoinCompany join when state.Membership == new Membership(join.CompanyId, join.MemberId, join.Role) => Decision<Account>.Ignore(),
        JoinCompany join when state.Membership is { } m && m.CompanyId == join.CompanyId =>
            Decision<Account>.Reject("already-member", "This phone is already a member of the company."),
        JoinCompany => Decision<Account>.Reject("member-of-another-company", "This phone is a member of another company."),

        LeaveCompany leave when state.Membership is { } m && m.CompanyId == leave.CompanyId && m.MemberId == leave.MemberId =>
            Decision<Account>.Accept(state with { Membership = null }, null),
        LeaveCompany => Decision<Account>.Ignore(),

        // Only the user the phone names now: after an erasure the phone may belong to someone new.
        EraseAccount erase when state.UserId == erase.UserId => Decision<Account>.Accept(
            Account.New with { ChallengesStarted = state.ChallengesStarted }, null, new EraseUser(erase.UserId, erase.Phone, state.Membership)),
        EraseAccount => Decision<Account>.Ignore(),

        AccountTimedOut => Decision<Account>.Ignore(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };

    /// <summary>When the phone may start another challenge, if it has used up its hour.</summary>
    public DateTimeOffset? NextChallengeAllowedAt(Account state, DateTimeOffset now)
    {
        var recent = Recent(state, now);
        return recent.Count >= rules.MaxChallengesPerHour ? recent[^rules.MaxChallengesPerHour] + Window : null;
    }

    private Decision<Account> Reserve(Account state, DateTimeOffset now) =>
        NextChallengeAllowedAt(state, now) is null
            ? Decision<Account>.Accept(state with { ChallengesStarted = [.. Recent(state, now), now] }, null)
            : Decision<Account>.Reject(
                "too-many-challenges", $"At most {rules.MaxChallengesPerHour} sign-in codes an hour can be sent to one phone.");

    private static List<DateTimeOffset> Recent(Account state, DateTimeOffset now) =>
        state.ChallengesStarted.Where(t => t > now - Window).ToList();
}
