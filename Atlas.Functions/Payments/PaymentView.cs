using Atlas.Core.Payments;
using Atlas.Functions.Rides;

namespace Atlas.Functions.Payments;

/// <summary>A ride's payment as its viewer may see it: the rider gets the 3-D Secure client secret while it is needed;
/// the driver's side and platform admins get the driver's share.</summary>
public sealed record PaymentView(
    string Status,
    string Currency,
    long Price,
    long Held,
    long Captured,
    long Refunded,
    long? DriverShare,
    long? Tip,
    string? Dispute,
    string? FailureCode,
    string? ClientSecret)
{
    public static PaymentView Of(Escrow escrow, RideViewer viewer)
    {
        var terms = escrow.Terms!;
        var held = escrow.Status is EscrowStatus.Authorised or EscrowStatus.Capturing or EscrowStatus.Releasing ? escrow.Hold?.Amount ?? 0 : 0;
        return new PaymentView(
            Lower(escrow.Status.ToString()),
            terms.Currency,
            terms.Price,
            held,
            escrow.Captured,
            escrow.RefundedDone,
            viewer == RideViewer.Rider ? null : escrow.DriverShare,
            escrow.Tip is { Done: true } tip ? tip.Amount : null,
            escrow.Dispute?.Status,
            escrow.FailureCode,
            viewer == RideViewer.Rider && escrow.Status == EscrowStatus.ActionRequired ? escrow.Hold?.ClientSecret : null);
    }

    private static string Lower(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
