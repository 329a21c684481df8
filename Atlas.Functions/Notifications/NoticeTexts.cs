using System.Globalization;
using Atlas.Core.Notifications;

namespace Atlas.Functions.Notifications;

/// <summary>The words of each notice topic. Amounts are minor units; the app formats them in its locale.</summary>
public static class NoticeTexts
{
    public static string For(Notice notice) => notice.Topic switch
    {
        "booking.open" => $"A new booking near you is open for bids (quote {Amount(notice)}).",
        "booking.extended" => "No driver has bid yet: bidding stays open a little longer.",
        "booking.expired" => "Sorry, no driver could take your booking.",
        "booking.assigned" => $"A driver took your booking for {Amount(notice)}.",
        "booking.cancelled" => "The booking was cancelled.",
        "booking.reassigning" => "Your driver dropped out: we are finding you another.",
        "bid.won" => $"You won the booking for {Amount(notice)}. Set off within 5 minutes.",
        "bid.lost" => "Another driver won the booking.",
        "ride.driver-en-route" => "Your driver is on the way.",
        "ride.driver-arrived" => "Your driver has arrived.",
        "ride.rider-late" => "The waiting time is over.",
        "ride.started" => "Your ride has started.",
        "ride.start-locked" => "Too many wrong start codes: a dispatcher must unlock the start.",
        "ride.start-unlocked" => "The start code can be tried again.",
        "ride.completed" => $"The ride is complete: {Amount(notice)}.",
        "ride.cancelled" => notice.Amount is > 0 ? $"The ride was cancelled (fee {Amount(notice)})." : "The ride was cancelled.",
        "ride.no-show" => $"The ride ended as a no-show (fee {Amount(notice)}).",
        "booking.reopened" => "We could not take payment for the ride: it is open to drivers again. Check your card.",
        "payment.declined" => "Your card was declined. Add another card to keep your booking.",
        "payment.action-required" => "Your bank asks you to confirm the payment in the app.",
        "payment.captured" => $"You paid {Amount(notice)} for your ride.",
        "payment.refunded" => $"{Amount(notice)} was refunded to your card.",
        "tip.received" => $"You were tipped {Amount(notice)}.",
        "tip.declined" => "Your tip could not be charged to your card.",
        "payout.held" => "A rider disputed a ride's payment: its earnings are held until the dispute is settled.",
        "payout.released" => "A disputed ride's earnings are released to your next payout.",
        "payout.forfeited" => "A disputed ride's payment was lost: its earnings are taken back.",
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Topic, "No text for this topic."),
    };

    private static string Amount(Notice notice) => (notice.Amount ?? 0).ToString(CultureInfo.InvariantCulture);
}
