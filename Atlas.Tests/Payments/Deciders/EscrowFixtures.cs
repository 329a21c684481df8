using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Payments.Deciders;

/// <summary>Escrows in each state, made by running the decider through the commands that lead there.</summary>
internal static class EscrowFixtures
{
    public const string Intent = "pi_1";
    public const long Price = 1000;
    public const long Hold = 1100;
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CaptureBefore = Now.AddDays(7);
    public static readonly EscrowDecider Decider = new();
    public static readonly EscrowTerms Terms = new("rd_1", "bk_1", "usr_rider", "mb_driver", "usr_driver", "co_1", Price, "GBP", new PlatformFee(1_500, 0), "cus_1", "pm_1");

    public static Escrow Given(params EscrowCommand[] history) =>
        DeciderHistory.Run(Decider, history.Select((command, i) => (command, Now.AddMinutes(i))));

    public static Escrow Authorising() => Given(new OpenEscrow(Terms));

    public static Escrow ActionRequired() => Given(new OpenEscrow(Terms), new PaymentNeedsAction(1, Intent, "pi_1_secret"));

    public static Escrow Authorised() => Given(new OpenEscrow(Terms), new PaymentAuthorised(1, Intent, Hold, CaptureBefore));

    public static Escrow Capturing() => Given(new OpenEscrow(Terms), new PaymentAuthorised(1, Intent, Hold, CaptureBefore), new RideOver(RideStatus.Completed, 0));

    public static Escrow Releasing() => Given(new OpenEscrow(Terms), new PaymentAuthorised(1, Intent, Hold, CaptureBefore), new RideOver(RideStatus.Cancelled, 0));

    public static Escrow Captured() => Given(
        new OpenEscrow(Terms), new PaymentAuthorised(1, Intent, Hold, CaptureBefore), new RideOver(RideStatus.Completed, 0), new PaymentCaptured(Intent, Price));

    public static Escrow Released() => Given(
        new OpenEscrow(Terms), new PaymentAuthorised(1, Intent, Hold, CaptureBefore), new RideOver(RideStatus.Cancelled, 0), new PaymentReleased(Intent));

    public static Escrow Declined() => Given(new OpenEscrow(Terms), new PaymentDeclined(1, null, "card_declined"));

    public static IntentSnapshot Snapshot(string status, long capturable = 0, long received = 0, string? reason = null, string id = Intent, int attempt = 1) =>
        new(id, attempt, status, Hold, capturable, received, CaptureBefore, reason, null);
}
