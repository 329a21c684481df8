namespace Atlas.Core.Ledger;

/// <summary>One line of a transaction: a signed amount in minor units on one account (debit positive, credit
/// negative), so a transaction balances when its lines sum to zero.</summary>
public sealed record Posting(string Account, long Amount);

/// <summary>
/// An immutable, balanced set of postings in one currency. Its id is derived from what caused it (the ride and the
/// step), so recording it twice is recording it once. A correction is another transaction, never an edit.
/// </summary>
/// <param name="DriverId">The one driver whose accounts it touches, if any: the ledger is kept per driver.</param>
public sealed record LedgerTransaction(
    string Id, string Kind, string Currency, string? DriverId, string? RideId, DateTimeOffset At, IReadOnlyList<Posting> Postings)
{
    /// <summary>A balanced transaction from the postings given; zero lines are dropped, lines on one account merged.</summary>
    /// <exception cref="ArgumentException">The postings do not sum to zero: a bug in whoever built them.</exception>
    public static LedgerTransaction Create(
        string id, string kind, string currency, string? driverId, string? rideId, DateTimeOffset at, params Posting[] postings)
    {
        var lines = postings
            .GroupBy(p => p.Account, StringComparer.Ordinal)
            .Select(g => new Posting(g.Key, g.Sum(p => p.Amount)))
            .Where(p => p.Amount != 0)
            .OrderBy(p => p.Account, StringComparer.Ordinal)
            .ToList();
        var sum = lines.Sum(p => p.Amount);
        return sum == 0
            ? new LedgerTransaction(id, kind, currency, driverId, rideId, at, lines)
            : throw new ArgumentException($"Transaction {id} does not balance: its postings sum to {sum}.", nameof(postings));
    }

    /// <summary>The Stripe object it records (a transfer), if any.</summary>
    public string? Reference { get; init; }

    public long AmountOn(string account) => Postings.Where(p => p.Account == account).Sum(p => p.Amount);
}
