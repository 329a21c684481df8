using Atlas.Core.Auth;
using Atlas.Core.Common;

namespace Atlas.Tests.Auth.Deciders;

/// <summary>The session family's rules: rotation, reuse detection, expiry, logout.</summary>
public sealed class SessionDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly SessionDecider _decider = new();

    private static ActiveSession Active(int generation = 1, DateTimeOffset? started = null, DateTimeOffset? refreshed = null) =>
        new("usr_1", "+447700900123", started ?? Now, generation, $"hash{generation}", refreshed ?? started ?? Now);

    private Decision<Session> When(Session given, SessionCommand command, DateTimeOffset? at = null) =>
        _decider.Decide(given, command, at ?? Now);

    private static string RejectionCode(Decision<Session> decision) => Assert.IsType<Decision<Session>.Rejected>(decision).Rejection.Code;

    [Fact]
    public void GivenNoSession_WhenOpened_ThenActiveAtGenerationOne()
    {
        var decision = Assert.IsType<Decision<Session>.Accepted>(When(new NoSession(), new OpenSession("usr_1", "+447700900123", "hash1")));

        Assert.Equal(Active(), decision.State);
    }

    [Fact]
    public void GivenActive_WhenOpenedAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<Session>.Unchanged>(When(Active(), new OpenSession("usr_1", "+447700900123", "other")));
    }

    [Fact]
    public void GivenActive_WhenTheCurrentTokenRefreshes_ThenTheNextGenerationWithTheNewHash()
    {
        var at = Now.AddHours(1);
        var decision = Assert.IsType<Decision<Session>.Accepted>(When(Active(), new RefreshSession(1, "hash1", "hash2"), at));

        Assert.Equal(Active(2, Now, at), decision.State);
    }

    [Fact]
    public void GivenActive_WhenAnOlderGenerationRefreshes_ThenTheFamilyIsRevokedForReuse()
    {
        var decision = Assert.IsType<Decision<Session>.Accepted>(When(Active(3), new RefreshSession(2, "anything", "new")));

        Assert.Equal(new RevokedSession("usr_1", Now, "reuse"), decision.State);
    }

    [Theory]
    [InlineData(1, "wrong")]
    [InlineData(2, "hash1")]
    public void GivenActive_WhenAForgedOrFutureTokenRefreshes_ThenInvalidAndTheSessionStays(int generation, string hash)
    {
        Assert.Equal("invalid-refresh-token", RejectionCode(When(Active(), new RefreshSession(generation, hash, "new"))));
    }

    [Fact]
    public void GivenActiveIdleForSevenDays_WhenRefreshed_ThenExpired()
    {
        Assert.Equal("session-expired", RejectionCode(When(Active(), new RefreshSession(1, "hash1", "new"), Now.AddDays(7))));
    }

    [Fact]
    public void GivenActiveStarted30DaysAgoButRefreshedYesterday_WhenRefreshed_ThenExpired()
    {
        var given = Active(started: Now.AddDays(-30), refreshed: Now.AddDays(-1));

        Assert.Equal("session-expired", RejectionCode(When(given, new RefreshSession(1, "hash1", "new"))));
    }

    [Fact]
    public void GivenActive_WhenLoggedOutWithTheCurrentToken_ThenRevoked()
    {
        var decision = Assert.IsType<Decision<Session>.Accepted>(When(Active(), new EndSession(1, "hash1")));

        Assert.Equal(new RevokedSession("usr_1", Now, "logout"), decision.State);
    }

    [Fact]
    public void GivenActive_WhenLoggedOutWithAnOldToken_ThenRevokedForReuse()
    {
        Assert.Equal("reuse", Assert.IsType<RevokedSession>(Assert.IsType<Decision<Session>.Accepted>(When(Active(2), new EndSession(1, "x"))).State).Reason);
    }

    [Fact]
    public void GivenActive_WhenLoggedOutWithAForgedToken_ThenInvalid()
    {
        Assert.Equal("invalid-refresh-token", RejectionCode(When(Active(), new EndSession(1, "wrong"))));
    }

    [Fact]
    public void GivenRevoked_WhenRefreshed_ThenRevoked()
    {
        Assert.Equal("session-revoked", RejectionCode(When(new RevokedSession("usr_1", Now, "logout"), new RefreshSession(1, "hash1", "new"))));
    }

    [Fact]
    public void GivenRevoked_WhenLoggedOutAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<Session>.Unchanged>(When(new RevokedSession("usr_1", Now, "logout"), new EndSession(1, "hash1")));
    }

    [Fact]
    public void GivenNoSession_WhenRefreshedOrLoggedOut_ThenInvalid()
    {
        Assert.Equal("invalid-refresh-token", RejectionCode(When(new NoSession(), new RefreshSession(1, "h", "n"))));
        Assert.Equal("invalid-refresh-token", RejectionCode(When(new NoSession(), new EndSession(1, "h"))));
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public void GivenAnyState_WhenATimerFires_ThenNothingChanges(Session given)
    {
        Assert.IsType<Decision<Session>.Unchanged>(When(given, new SessionTimedOut(Now)));
    }

    public static TheoryData<Session> AllStates => new() { new NoSession(), Active(), new RevokedSession("usr_1", Now, "logout") };
}
