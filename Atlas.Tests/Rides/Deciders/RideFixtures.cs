using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Rides;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Rides.Deciders;

/// <summary>Rides in each state, made by running the decider through the commands that lead there.</summary>
internal static class RideFixtures
{
    public const string Code = "4821";
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    public static readonly RideDecider Decider = new();
    public static readonly RideRules Rules = RideRules.Default;
    public static readonly RideTerms Terms = new(
        "rd_1",
        "bk_1", "usr_rider", "mb_driver", "usr_driver", "co_1",
        new Trip(new GeoPoint(51.5, -0.12), new GeoPoint(51.52, -0.13), VehicleType.Car, 1, null), 1200, "GBP", Code);

    public static readonly DateTimeOffset SetOffBy = Now + Rules.SetOffWithin;
    public static readonly DateTimeOffset ArrivedAt = Now.AddMinutes(3);
    public static readonly DateTimeOffset WaitOverAt = ArrivedAt + Rules.NoShowWait;

    public static Ride Given(params (RideCommand Command, DateTimeOffset At)[] history) => DeciderHistory.Run(Decider, history);

    public static Ride Assigned() => Given((new CreateRide(Terms), Now));

    public static Ride EnRoute() => Given((new CreateRide(Terms), Now), (new SetOff(), Now.AddMinutes(1)));

    public static Ride Arrived() => Given((new CreateRide(Terms), Now), (new SetOff(), Now.AddMinutes(1)), (new Arrive(), ArrivedAt));

    public static Ride InProgress() => Given(
        (new CreateRide(Terms), Now), (new SetOff(), Now.AddMinutes(1)), (new Arrive(), ArrivedAt), (new StartRide(Code), ArrivedAt.AddMinutes(1)));

    public static Ride Completed() => Given(
        (new CreateRide(Terms), Now), (new SetOff(), Now.AddMinutes(1)), (new Arrive(), ArrivedAt), (new StartRide(Code), ArrivedAt.AddMinutes(1)),
        (new CompleteRide(), ArrivedAt.AddMinutes(20)));

    public static Ride Cancelled() => Given((new CreateRide(Terms), Now), (new CancelRide(Party.Rider, "changedPlans"), Now.AddMinutes(1)));

    public static Ride NoShow() => Given(
        (new CreateRide(Terms), Now), (new SetOff(), Now.AddMinutes(1)), (new Arrive(), ArrivedAt), (new MarkNoShow(), WaitOverAt));
}
