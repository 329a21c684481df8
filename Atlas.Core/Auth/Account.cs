using Atlas.Core.Common;

namespace Atlas.Core.Auth;

// Everything keyed by a phone number, owned by one instance so its rules are decided under one ETag: the user
// the phone signs in as (one user per phone), the company it belongs to (at most one), and how many sign-in
// challenges it started lately (at most a few an hour).

/// <param name="ChallengesStarted">Start times within the last hour, oldest first.</param>
public sealed record Account(string? UserId, Membership? Membership, IReadOnlyList<DateTimeOffset> ChallengesStarted)
{
    public static Account New { get; } = new(null, null, []);
}

public sealed record Membership(string CompanyId, string MemberId, Role Role);

public abstract record AccountCommand;

public sealed record ReserveChallenge : AccountCommand;

/// <summary>Sign-in: the phone gets <paramref name="NewUserId"/> unless it already has a user.</summary>
public sealed record ClaimUser(string NewUserId) : AccountCommand;

public sealed record JoinCompany(string CompanyId, string MemberId, Role Role) : AccountCommand;

public sealed record LeaveCompany(string CompanyId, string MemberId) : AccountCommand;

public sealed record AccountTimedOut(DateTimeOffset Deadline) : AccountCommand;

/// <summary>The user asked to be erased (and confirmed it with a fresh code): the phone stops naming them, so it signs
/// up afresh as a new user, and what Atlas holds about them is erased (<see cref="EraseUser"/>).</summary>
public sealed record EraseAccount(string UserId, string Phone) : AccountCommand;

/// <summary>Erase what Atlas holds about the user (sessions, profile, devices, card, Stripe customer, company
/// membership); rides and the ledger keep the bare user id, which names nobody once these are gone.</summary>
public sealed record EraseUser(string UserId, string Phone, Membership? Membership) : Effect;

public sealed record AccountRules(int MaxChallengesPerHour)
{
    public static AccountRules Default { get; } = new(5);
}
