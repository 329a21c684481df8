using Atlas.Core.Common;
using Atlas.Testing.Sample;

namespace Atlas.Tests.Sample;

/// <summary>The sample lifecycle's rules, pure: given a state, when a command arrives at a time, then a decision.
/// The runtime tests lean on these rules, so they are pinned down here.</summary>
public sealed class JobDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ClosesAt = Now.AddMinutes(5);
    private readonly JobDecider _decider = new();

    private static Open OpenJob(int total = 0, params string[] applied) =>
        new("Crate", ClosesAt, total, [.. applied], Announced: false);

    private Decision<JobState> When(JobState given, JobCommand command, DateTimeOffset? at = null) =>
        _decider.Decide(given, command, at ?? Now);

    [Fact]
    public void GivenNotStarted_WhenOpened_ThenOpenWithADeadlineAndAnAnnouncement()
    {
        var decision = Assert.IsType<Decision<JobState>.Accepted>(When(new NotStarted(), new OpenJob("Crate", TimeSpan.FromMinutes(5))));

        Assert.Equal(OpenJob(), decision.State with { });
        Assert.Equal(ClosesAt, decision.Deadline);
        Assert.Equal(new Announce("Crate", "opened"), Assert.Single(decision.Effects));
    }

    [Fact]
    public void GivenOpen_WhenOpenedAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<JobState>.Unchanged>(When(OpenJob(), new OpenJob("Crate", TimeSpan.FromMinutes(5))));
    }

    [Fact]
    public void GivenOpen_WhenWorkIsAdded_ThenTheTotalGrowsAndTheDeadlineStays()
    {
        var decision = Assert.IsType<Decision<JobState>.Accepted>(When(OpenJob(), new AddWork("r1", 4)));

        Assert.Equal(4, Assert.IsType<Open>(decision.State).Total);
        Assert.Equal(ClosesAt, decision.Deadline);
        Assert.Empty(decision.Effects);
    }

    [Fact]
    public void GivenWorkAlreadyAdded_WhenTheSameRequestComesAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<JobState>.Unchanged>(When(OpenJob(4, "r1"), new AddWork("r1", 4)));
    }

    [Fact]
    public void GivenOpen_WhenTheAnnouncementIsConfirmed_ThenAnnounced_AndASecondConfirmationChangesNothing()
    {
        var decision = Assert.IsType<Decision<JobState>.Accepted>(When(OpenJob(), new ConfirmAnnounced("e1")));

        Assert.True(Assert.IsType<Open>(decision.State).Announced);
        Assert.IsType<Decision<JobState>.Unchanged>(When(decision.State, new ConfirmAnnounced("e1")));
    }

    [Fact]
    public void GivenOpen_WhenItsTimerFiresOnTime_ThenClosedWithAnAnnouncement()
    {
        var decision = Assert.IsType<Decision<JobState>.Accepted>(When(OpenJob(3), new JobTimedOut(ClosesAt), at: ClosesAt));

        Assert.Equal(new Closed("Crate", 3, ClosesAt), decision.State);
        Assert.Null(decision.Deadline);
        Assert.Equal(new Announce("Crate", "closed"), Assert.Single(decision.Effects));
    }

    [Fact]
    public void GivenOpen_WhenItsTimerFiresLate_ThenClosedAtTheLateTime()
    {
        var late = ClosesAt.AddHours(1);

        var decision = Assert.IsType<Decision<JobState>.Accepted>(When(OpenJob(), new JobTimedOut(ClosesAt), at: late));

        Assert.Equal(late, Assert.IsType<Closed>(decision.State).ClosedAt);
    }

    [Fact]
    public void GivenOpen_WhenItsTimerFiresEarly_ThenNothingChanges()
    {
        Assert.IsType<Decision<JobState>.Unchanged>(When(OpenJob(), new JobTimedOut(ClosesAt), at: ClosesAt.AddTicks(-1)));
    }

    [Fact]
    public void GivenOpen_WhenAnOldTimerFires_ThenNothingChanges()
    {
        Assert.IsType<Decision<JobState>.Unchanged>(When(OpenJob(), new JobTimedOut(ClosesAt.AddMinutes(-1)), at: ClosesAt));
    }

    [Fact]
    public void GivenClosed_WhenTheTimerFiresAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<JobState>.Unchanged>(When(new Closed("Crate", 0, ClosesAt), new JobTimedOut(ClosesAt), at: ClosesAt.AddMinutes(1)));
    }

    [Fact]
    public void GivenClosed_WhenWorkIsAdded_ThenRefusedBecauseClosed()
    {
        var decision = Assert.IsType<Decision<JobState>.Rejected>(When(new Closed("Crate", 0, ClosesAt), new AddWork("r2", 1)));

        Assert.Equal("job-closed", decision.Rejection.Code);
    }

    [Fact]
    public void GivenNotStarted_WhenWorkIsAdded_ThenRefusedBecauseNotOpen()
    {
        var decision = Assert.IsType<Decision<JobState>.Rejected>(When(new NotStarted(), new AddWork("r1", 1)));

        Assert.Equal("job-not-open", decision.Rejection.Code);
    }
}
