using Atlas.Core.Common;
using Atlas.Core.Drivers;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Rides.Deciders;

/// <summary>A driver's instance: one active ride at a time, and a rating that counts each ride once.</summary>
public sealed class DriverDutyDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly DriverDutyDecider _decider = new();

    private DriverDuty Given(params DriverDutyCommand[] commands) => DeciderHistory.Run(_decider, commands.Select(c => (c, Now)));

    [Fact]
    public void GivenAFreeDriver_WhenReserved_ThenTheRideIsTheirs()
    {
        Assert.Equal("rd_1", Given(new ReserveDriver("rd_1")).ActiveRideId);
    }

    [Fact]
    public void GivenAReservedDriver_WhenReservedForTheSameRideAgain_ThenNothingChanges()
    {
        Assert.IsType<Decision<DriverDuty>.Unchanged>(_decider.Decide(Given(new ReserveDriver("rd_1")), new ReserveDriver("rd_1"), Now));
    }

    [Fact]
    public void GivenAReservedDriver_WhenReservedForAnotherRide_ThenBusy()
    {
        var decision = Assert.IsType<Decision<DriverDuty>.Rejected>(_decider.Decide(Given(new ReserveDriver("rd_1")), new ReserveDriver("rd_2"), Now));

        Assert.Equal(DriverDutyDecider.Busy, decision.Rejection);
    }

    [Fact]
    public void GivenAReservedDriver_WhenTheirRideIsReleased_ThenFreeForTheNext()
    {
        var freed = Given(new ReserveDriver("rd_1"), new ReleaseDriver("rd_1"));

        Assert.Null(freed.ActiveRideId);
        Assert.Equal("rd_2", Given(new ReserveDriver("rd_1"), new ReleaseDriver("rd_1"), new ReserveDriver("rd_2")).ActiveRideId);
    }

    [Theory]
    [InlineData("rd_other")]
    [InlineData("rd_1")]
    public void GivenAFreeOrOtherwiseReservedDriver_WhenAnotherRideIsReleased_ThenNothingChanges(string released)
    {
        var given = released == "rd_1" ? _decider.Initial : Given(new ReserveDriver("rd_1"));

        Assert.IsType<Decision<DriverDuty>.Unchanged>(_decider.Decide(given, new ReleaseDriver(released), Now));
    }

    [Fact]
    public void GivenRatings_WhenRecorded_ThenTheMeanCountsEachRideOnce()
    {
        var rated = Given(new RecordRating("rd_1", 5), new RecordRating("rd_2", 4), new RecordRating("rd_3", 4));

        Assert.Equal(4.33, rated.Rating);
        Assert.IsType<Decision<DriverDuty>.Unchanged>(_decider.Decide(rated, new RecordRating("rd_2", 1), Now));
        Assert.Null(_decider.Initial.Rating);
    }

    [Fact]
    public void GivenManyRatings_ThenOnlyTheLatestRidesAreRememberedForDeduplication()
    {
        var rated = Enumerable.Range(0, DriverDutyDecider.RatedRidesKept + 5).Aggregate(
            _decider.Initial, (s, i) => Assert.IsType<Decision<DriverDuty>.Accepted>(_decider.Decide(s, new RecordRating($"rd_{i}", 5), Now)).State);

        Assert.Equal(DriverDutyDecider.RatedRidesKept, rated.RatedRides.Count);
        Assert.Equal(DriverDutyDecider.RatedRidesKept + 5, rated.RatingCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void GivenAnyDriver_WhenARatingIsOutOfRange_ThenRefused(int stars)
    {
        Assert.IsType<Decision<DriverDuty>.Rejected>(_decider.Decide(_decider.Initial, new RecordRating("rd_1", stars), Now));
    }

    [Fact]
    public void GivenAnyDriver_WhenATimerFires_ThenNothingHappens()
    {
        Assert.IsType<Decision<DriverDuty>.Unchanged>(_decider.Decide(Given(new ReserveDriver("rd_1")), new DriverDutyTimedOut(Now), Now));
    }

    [Fact]
    public void GivenAFreeDriver_WhenRetiredForErasure_ThenNoRideIsTheirsAgain()
    {
        var retired = Given(new ReserveDriver("rd_1"), new ReleaseDriver("rd_1"), new RetireDriver());

        var decision = Assert.IsType<Decision<DriverDuty>.Rejected>(_decider.Decide(retired, new ReserveDriver("rd_2"), Now));

        Assert.Equal(DriverDutyDecider.Erased, decision.Rejection);
        Assert.IsType<Decision<DriverDuty>.Unchanged>(_decider.Decide(retired, new RetireDriver(), Now));
    }

    [Fact]
    public void GivenADriverOnARide_WhenRetiredForErasure_ThenRefusedNamingTheRide()
    {
        var decision = Assert.IsType<Decision<DriverDuty>.Rejected>(_decider.Decide(Given(new ReserveDriver("rd_1")), new RetireDriver(), Now));

        Assert.Equal("active-ride", decision.Rejection.Code);
        Assert.Contains("rd_1", decision.Rejection.Reason, StringComparison.Ordinal);
    }
}
