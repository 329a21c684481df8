namespace Atlas.Core.Bidding;

/// <summary>A driver's sealed offer to do a booking for <paramref name="Amount"/> minor units. The rating is the
/// driver's when the bid was placed (null before any rating): it breaks ties.</summary>
public sealed record Bid(string DriverId, string DriverUserId, string CompanyId, long Amount, double? Rating, DateTimeOffset PlacedAt);

public static class Bids
{
    /// <summary>Best first: the lowest amount; on a tie the higher rating (unrated last), then the earlier bid.</summary>
    public static IReadOnlyList<Bid> Rank(IEnumerable<Bid> bids) => bids
        .OrderBy(b => b.Amount)
        .ThenByDescending(b => b.Rating ?? double.MinValue)
        .ThenBy(b => b.PlacedAt)
        .ThenBy(b => b.DriverId, StringComparer.Ordinal)
        .ToList();

    /// <summary>A bid is from half to twice the quoted total.</summary>
    public static (long Min, long Max) Bounds(long quoteTotal) => ((quoteTotal + 1) / 2, quoteTotal * 2);

    public static string BoundsRule(long quoteTotal)
    {
        var (min, max) = Bounds(quoteTotal);
        return $"amount is in minor units, from {min} to {max} (half to twice the quote of {quoteTotal}).";
    }
}
