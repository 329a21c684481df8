using Atlas.Core.Bookings;

namespace Atlas.Functions.Bookings;

/// <summary>The Bookings section: the bid window, who gets invited, and when scheduled bookings open.</summary>
public sealed class BookingOptions
{
    public const string Section = "Bookings";
    public const int MinBidWindowSeconds = 10;
    public const int MaxBidWindowSeconds = 600;

    /// <summary>How long a booking takes bids, unless the booker's company set its own.</summary>
    public TimeSpan BidWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Drivers whose last position is this close to the pickup are invited.</summary>
    public double InviteRadiusKm { get; set; } = 10;

    /// <summary>A position older than this does not count: the driver's app has gone quiet.</summary>
    public TimeSpan LocationFreshFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many drivers (the nearest) are invited to one window.</summary>
    public int MaxInvites { get; set; } = 50;

    public TimeSpan BiddingLead { get; set; } = BookingRules.Default.BiddingLead;

    public int MaxRounds { get; set; } = BookingRules.Default.MaxRounds;

    public TimeSpan MaxAhead { get; set; } = BookingRules.Default.MaxAhead;

    public static string BidWindowRule { get; } =
        $"bidWindowSeconds is from {MinBidWindowSeconds} to {MaxBidWindowSeconds}, or null for the default.";

    public BookingRules ToRules()
    {
        if (BidWindow < TimeSpan.FromSeconds(MinBidWindowSeconds) || BidWindow > TimeSpan.FromSeconds(MaxBidWindowSeconds))
        {
            throw new InvalidOperationException($"Bookings:BidWindow is from {MinBidWindowSeconds} s to {MaxBidWindowSeconds} s.");
        }

        return MaxRounds >= 1 && BiddingLead >= TimeSpan.Zero && MaxAhead > TimeSpan.Zero && InviteRadiusKm > 0 && MaxInvites >= 1
            ? new BookingRules(BiddingLead, MaxRounds, MaxAhead)
            : throw new InvalidOperationException("Bookings: MaxRounds ≥ 1, BiddingLead ≥ 0, MaxAhead > 0, InviteRadiusKm > 0, MaxInvites ≥ 1.");
    }
}
