using Atlas.Core.Auth;
using Atlas.Core.Common;

namespace Atlas.Tests.Auth.Deciders;

/// <summary>The phone account's rules: one user per phone, one company per phone, a few challenges an hour.</summary>
public sealed class AccountDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly AccountDecider _decider = new();

    private static readonly Membership Driver = new("co_a", "mem_1", Role.Driver);

    private Decision<Account> When(Account given, AccountCommand command, DateTimeOffset? at = null) =>
        _decider.Decide(given, command, at ?? Now);

    [Fact]
    public void GivenANewPhone_WhenAUserIsClaimed_ThenThePhoneHasThatUser()
    {
        var decision = Assert.IsType<Decision<Account>.Accepted>(When(Account.New, new ClaimUser("usr_1")));

        Assert.Equal("usr_1", decision.State.UserId);
    }

    [Fact]
    public void GivenAPhoneWithAUser_WhenAnotherUserIsClaimed_ThenItKeepsItsUser()
    {
        Assert.IsType<Decision<Account>.Unchanged>(When(Account.New with { UserId = "usr_1" }, new ClaimUser("usr_2")));
    }

    [Fact]
    public void GivenFourChallengesThisHour_WhenAFifthIsReserved_ThenItIsRecorded()
    {
        var given = Account.New with { ChallengesStarted = [.. Enumerable.Range(1, 4).Select(i => Now.AddMinutes(-i))] };

        var decision = Assert.IsType<Decision<Account>.Accepted>(When(given, new ReserveChallenge()));

        Assert.Equal(5, decision.State.ChallengesStarted.Count);
        Assert.Null(decision.Deadline);
    }

    [Fact]
    public void GivenFiveChallengesThisHour_WhenASixthIsReserved_ThenRejectedUntilTheOldestLeavesTheHour()
    {
        var starts = Enumerable.Range(0, 5).Select(i => Now.AddMinutes(-50 + (i * 10))).ToList();
        var given = Account.New with { ChallengesStarted = starts };

        Assert.Equal("too-many-challenges", Assert.IsType<Decision<Account>.Rejected>(When(given, new ReserveChallenge())).Rejection.Code);
        Assert.Equal(starts[0].AddHours(1), _decider.NextChallengeAllowedAt(given, Now));
    }

    [Fact]
    public void GivenChallengesOlderThanAnHour_WhenReserved_ThenTheyAreForgotten()
    {
        var given = Account.New with { ChallengesStarted = [.. Enumerable.Range(0, 5).Select(i => Now.AddHours(-1).AddMinutes(-i))] };

        var decision = Assert.IsType<Decision<Account>.Accepted>(When(given, new ReserveChallenge()));

        Assert.Equal([Now], decision.State.ChallengesStarted);
    }

    [Fact]
    public void GivenNoCompany_WhenJoined_ThenAMember()
    {
        var decision = Assert.IsType<Decision<Account>.Accepted>(When(Account.New, new JoinCompany("co_a", "mem_1", Role.Driver)));

        Assert.Equal(Driver, decision.State.Membership);
    }

    [Fact]
    public void GivenAMember_WhenTheSameJoinArrivesAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<Account>.Unchanged>(When(Account.New with { Membership = Driver }, new JoinCompany("co_a", "mem_1", Role.Driver)));
    }

    [Fact]
    public void GivenAMember_WhenAddedToTheSameCompanyAgain_ThenAlreadyAMember()
    {
        var decision = When(Account.New with { Membership = Driver }, new JoinCompany("co_a", "mem_2", Role.Dispatcher));

        Assert.Equal("already-member", Assert.IsType<Decision<Account>.Rejected>(decision).Rejection.Code);
    }

    [Fact]
    public void GivenAMember_WhenAnotherCompanyAddsThePhone_ThenRejected()
    {
        var decision = When(Account.New with { Membership = Driver }, new JoinCompany("co_b", "mem_9", Role.Driver));

        Assert.Equal("member-of-another-company", Assert.IsType<Decision<Account>.Rejected>(decision).Rejection.Code);
    }

    [Fact]
    public void GivenAMember_WhenItLeaves_ThenNoCompany()
    {
        var decision = Assert.IsType<Decision<Account>.Accepted>(When(Account.New with { Membership = Driver }, new LeaveCompany("co_a", "mem_1")));

        Assert.Null(decision.State.Membership);
    }

    [Theory]
    [InlineData("co_b", "mem_1")]
    [InlineData("co_a", "mem_2")]
    public void GivenAMember_WhenAnotherMembershipLeaves_ThenNothingChanges(string company, string member)
    {
        Assert.IsType<Decision<Account>.Unchanged>(When(Account.New with { Membership = Driver }, new LeaveCompany(company, member)));
    }

    [Fact]
    public void GivenNoCompany_WhenLeaving_ThenNothingChanges()
    {
        Assert.IsType<Decision<Account>.Unchanged>(When(Account.New, new LeaveCompany("co_a", "mem_1")));
    }

    [Fact]
    public void GivenAnyAccount_WhenATimerFires_ThenNothingChanges()
    {
        Assert.IsType<Decision<Account>.Unchanged>(When(Account.New with { Membership = Driver }, new AccountTimedOut(Now)));
    }

    [Fact]
    public void GivenAPhoneWithAUserInACompany_WhenTheUserIsErased_ThenThePhoneNamesNoOneAndTheErasureIsAnEffect()
    {
        var given = Account.New with { UserId = "usr_1", Membership = Driver, ChallengesStarted = [Now.AddMinutes(-3)] };

        var decision = Assert.IsType<Decision<Account>.Accepted>(When(given, new EraseAccount("usr_1", "+447700900123")));

        Assert.Equal((null, null), (decision.State.UserId, decision.State.Membership));
        Assert.Equal([Now.AddMinutes(-3)], decision.State.ChallengesStarted);
        Assert.Equal(new EraseUser("usr_1", "+447700900123", Driver), Assert.Single(decision.Effects));
    }

    [Fact]
    public void GivenAnErasedUser_WhenThePhoneSignsInAgain_ThenItIsANewUser()
    {
        var erased = Assert.IsType<Decision<Account>.Accepted>(When(Account.New with { UserId = "usr_1" }, new EraseAccount("usr_1", "+447700900123"))).State;

        Assert.Equal("usr_2", Assert.IsType<Decision<Account>.Accepted>(When(erased, new ClaimUser("usr_2"))).State.UserId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("usr_2")]
    public void GivenThePhoneNamesNoOneOrSomeoneElse_WhenAUserIsErased_ThenNothingChanges(string? user)
    {
        Assert.IsType<Decision<Account>.Unchanged>(When(Account.New with { UserId = user }, new EraseAccount("usr_1", "+447700900123")));
    }
}
