using Atlas.Core.Auth;
using Atlas.Core.Common;

namespace Atlas.Tests.Auth.Deciders;

/// <summary>The sign-in challenge's rules: every state × every command, and the timer early, late, twice and stale.</summary>
public sealed class ChallengeDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ExpiresAt = Now.AddMinutes(5);
    private const string Phone = "+447700900123";
    private readonly ChallengeDecider _decider = new();

    private static PendingChallenge Pending(int sends = 1, int failed = 0, string hash = "right") =>
        new(Phone, hash, ExpiresAt, Now, sends, failed);

    public static TheoryData<Challenge, string> Finished => new()
    {
        { new VerifiedChallenge(Phone, Now), "challenge-used" },
        { new ExpiredChallenge(Phone, Now), "challenge-expired" },
        { new BurnedChallenge(Phone, Now), "challenge-burned" },
        { new NoChallenge(), "challenge-not-found" },
    };

    private Decision<Challenge> When(Challenge given, ChallengeCommand command, DateTimeOffset? at = null) =>
        _decider.Decide(given, command, at ?? Now);

    [Fact]
    public void GivenNoChallenge_WhenStarted_ThenPendingUntilFiveMinutesWithTheCodeTextedAndNoTimer()
    {
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(new NoChallenge(), new StartChallenge(Phone, "right", "sealed")));

        Assert.Equal(Pending(), decision.State);
        Assert.Null(decision.Deadline);
        Assert.Equal(new SendSignInCode(Phone, "sealed"), Assert.Single(decision.Effects));
    }

    [Theory]
    [MemberData(nameof(StartedStates))]
    public void GivenAnyStartedChallenge_WhenStartedAgain_ThenNothingChanges(Challenge given)
    {
        Assert.IsType<Decision<Challenge>.Unchanged>(When(given, new StartChallenge(Phone, "other", "sealed")));
    }

    public static TheoryData<Challenge> StartedStates => new()
    {
        Pending(), new VerifiedChallenge(Phone, Now), new ExpiredChallenge(Phone, Now), new BurnedChallenge(Phone, Now),
    };

    [Fact]
    public void GivenPending_WhenTheRightCodeIsVerified_ThenVerifiedWithNoTimerLeft()
    {
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(), new VerifyCode("right"), Now.AddMinutes(1)));

        Assert.Equal(new VerifiedChallenge(Phone, Now.AddMinutes(1)), decision.State);
        Assert.Null(decision.Deadline);
        Assert.Empty(decision.Effects);
    }

    [Fact]
    public void GivenPending_WhenAWrongCodeIsVerified_ThenOneAttemptIsCountedAndTheExpiryStays()
    {
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(failed: 2), new VerifyCode("wrong")));

        Assert.Equal(Pending(failed: 3), decision.State);
        Assert.Null(decision.Deadline);
        Assert.Equal(2, _decider.AttemptsLeft((PendingChallenge)decision.State));
    }

    [Fact]
    public void GivenFourWrongAttempts_WhenAFifthWrongCodeIsVerified_ThenBurned()
    {
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(failed: 4), new VerifyCode("wrong")));

        Assert.Equal(new BurnedChallenge(Phone, Now), decision.State);
        Assert.Null(decision.Deadline);
    }

    [Fact]
    public void GivenFourWrongAttempts_WhenTheRightCodeIsVerified_ThenVerified()
    {
        Assert.IsType<VerifiedChallenge>(Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(failed: 4), new VerifyCode("right"))).State);
    }

    [Fact]
    public void GivenPendingPastItsExpiry_WhenTheRightCodeIsVerified_ThenExpiredEvenBeforeTheTimerFired()
    {
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(), new VerifyCode("right"), ExpiresAt));

        Assert.Equal(new ExpiredChallenge(Phone, ExpiresAt), decision.State);
    }

    [Theory]
    [MemberData(nameof(Finished))]
    public void GivenAFinishedOrMissingChallenge_WhenVerified_ThenRejectedWithWhy(Challenge given, string code)
    {
        Assert.Equal(code, Assert.IsType<Decision<Challenge>.Rejected>(When(given, new VerifyCode("right"))).Rejection.Code);
    }

    [Theory]
    [MemberData(nameof(Finished))]
    public void GivenAFinishedOrMissingChallenge_WhenResent_ThenRejectedWithWhy(Challenge given, string code)
    {
        Assert.Equal(code, Assert.IsType<Decision<Challenge>.Rejected>(When(given, new ResendCode("new", "sealed"))).Rejection.Code);
    }

    [Fact]
    public void GivenPending_WhenResentWithin30Seconds_ThenTooSoon()
    {
        var decision = When(Pending(), new ResendCode("new", "sealed"), Now.AddSeconds(29));

        Assert.Equal("resend-too-soon", Assert.IsType<Decision<Challenge>.Rejected>(decision).Rejection.Code);
    }

    [Fact]
    public void GivenPending_WhenResentAfter30Seconds_ThenTheNewCodeReplacesTheOldWithAFreshLifetime()
    {
        var at = Now.AddSeconds(30);
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(failed: 1), new ResendCode("new", "sealed2"), at));

        Assert.Equal(new PendingChallenge(Phone, "new", at.AddMinutes(5), at, 2, 1), decision.State);
        Assert.Null(decision.Deadline);
        Assert.Equal(new SendSignInCode(Phone, "sealed2"), Assert.Single(decision.Effects));
    }

    [Fact]
    public void GivenThreeResends_WhenResentAgain_ThenTheLimitIsReached()
    {
        var decision = When(Pending(sends: 4), new ResendCode("new", "sealed"), Now.AddMinutes(1));

        Assert.Equal("resend-limit", Assert.IsType<Decision<Challenge>.Rejected>(decision).Rejection.Code);
    }

    [Fact]
    public void GivenPendingPastItsExpiry_WhenResent_ThenExpired()
    {
        Assert.IsType<ExpiredChallenge>(Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(), new ResendCode("new", "s"), ExpiresAt)).State);
    }

    [Fact]
    public void GivenPending_WhenItsTimerFiresOnTime_ThenExpired()
    {
        var decision = Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(), new ChallengeTimedOut(ExpiresAt), ExpiresAt));

        Assert.Equal(new ExpiredChallenge(Phone, ExpiresAt), decision.State);
        Assert.Null(decision.Deadline);
    }

    [Fact]
    public void GivenPending_WhenItsTimerFiresLate_ThenExpired()
    {
        Assert.IsType<ExpiredChallenge>(
            Assert.IsType<Decision<Challenge>.Accepted>(When(Pending(), new ChallengeTimedOut(ExpiresAt), ExpiresAt.AddMinutes(3))).State);
    }

    [Fact]
    public void GivenPending_WhenItsTimerFiresEarly_ThenNothingChanges()
    {
        Assert.IsType<Decision<Challenge>.Unchanged>(When(Pending(), new ChallengeTimedOut(ExpiresAt), ExpiresAt.AddSeconds(-1)));
    }

    [Fact]
    public void GivenAResentCode_WhenTheOldCodesTimerFires_ThenNothingChanges()
    {
        var resent = Pending() with { ExpiresAt = ExpiresAt.AddMinutes(1) };

        Assert.IsType<Decision<Challenge>.Unchanged>(When(resent, new ChallengeTimedOut(ExpiresAt), ExpiresAt));
    }

    [Theory]
    [MemberData(nameof(Finished))]
    public void GivenAFinishedChallenge_WhenATimerFires_ThenNothingChanges(Challenge given, string code)
    {
        Assert.NotEmpty(code);
        Assert.IsType<Decision<Challenge>.Unchanged>(When(given, new ChallengeTimedOut(ExpiresAt), ExpiresAt));
    }
}
