using Atlas.Core.Auth;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Auth;

/// <summary>Turns a session generation into what the app receives: an access token carrying the account's
/// current role and company, and the refresh token for the next rotation.</summary>
public sealed class SessionIssuer(AccessTokens tokens, Lifecycle<Account, AccountCommand> accounts, PlatformAdmins platformAdmins)
{
    /// <returns>Null when the phone no longer names the user: their account was erased (a session the erasure has not
    /// reached yet must not outlive it).</returns>
    public async Task<SessionResponse?> IssueAsync(string userId, PhoneNumber phone, RefreshToken refresh, CancellationToken ct)
    {
        var (account, _) = await accounts.GetAsync(phone.Digits, ct);
        return account.UserId == userId ? Issue(userId, phone, refresh, account) : null;
    }

    /// <summary>When the caller has just read or written the account, it need not be read again.</summary>
    public SessionResponse Issue(string userId, PhoneNumber phone, RefreshToken refresh, Account account)
    {
        var caller = CallerFor(userId, refresh.SessionId, phone, account);
        return new SessionResponse(tokens.Issue(caller), "Bearer", (int)tokens.Lifetime.TotalSeconds, refresh.ToString(), Me.From(caller));
    }

    /// <summary>Platform admins come from configuration; everyone else is what their membership says, or a rider.</summary>
    public Caller CallerFor(string userId, string sessionId, PhoneNumber phone, Account account) =>
        platformAdmins.Contains(phone)
            ? new Caller(userId, sessionId, phone.Value, Role.PlatformAdmin, null, null)
            : account.Membership is { } m
                ? new Caller(userId, sessionId, phone.Value, m.Role, m.CompanyId, m.MemberId)
                : new Caller(userId, sessionId, phone.Value, Role.Rider, null, null);
}

public sealed record SessionResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, Me User);

public sealed record Me(string Id, string Phone, Role Role, string? CompanyId, string? MemberId)
{
    public static Me From(Caller caller) => new(caller.UserId, caller.Phone, caller.Role, caller.CompanyId, caller.MemberId);
}
