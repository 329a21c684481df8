using System.ComponentModel;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Where the catch-up stands, one row beside the events' (<see cref="StripeEventLog.Table"/>): the creation time of the
/// newest Stripe event it has seen (its cursor), and what its runs found. Written once per run, under the ETag it was
/// read with: a run that lost a race to another leaves the other's.
/// </summary>
public sealed class StripeCatchUpState(ITableStore tables)
{
    private const string Partition = "catchUp";
    private const string Row = "state";

    public async Task<(StripeCatchUpStatus Status, string? ETag)> ReadAsync(CancellationToken ct) =>
        await tables.GetAsync(StripeEventLog.Table, Partition, Row, ct) is { } row
            ? (new StripeCatchUpStatus(
                row.GetTime("NewestSeen"),
                row.GetString("NewestSeenId"),
                row.GetTime("LastRunAt"),
                row.GetTime("LastRunFrom"),
                (int)row.GetLong("LastRunListed"),
                (int)row.GetLong("LastRunCaughtUp"),
                row.GetLong("CaughtUp")), row.ETag)
            : (StripeCatchUpStatus.Never, null);

    /// <returns>False when another run wrote since <paramref name="etag"/> was read.</returns>
    public async Task<bool> WriteAsync(StripeCatchUpStatus status, string? etag, CancellationToken ct)
    {
        var row = new TableRow(Partition, Row, new Dictionary<string, object?>
        {
            ["NewestSeen"] = status.NewestSeen,
            ["NewestSeenId"] = status.NewestSeenId,
            ["LastRunAt"] = status.LastRunAt,
            ["LastRunFrom"] = status.LastRunFrom,
            ["LastRunListed"] = status.LastRunListed,
            ["LastRunCaughtUp"] = status.LastRunCaughtUp,
            ["CaughtUp"] = status.CaughtUp,
        });
        var write = await tables.WriteAsync(StripeEventLog.Table, etag is null ? TableOperation.Insert(row) : TableOperation.Replace(row, etag), ct);
        return write.Succeeded || (write.Status is not (TableWriteStatus.Conflict or TableWriteStatus.PreconditionFailed or TableWriteStatus.NotFound)
            ? throw new InvalidOperationException($"Recording the Stripe catch-up failed: {write.Status}.")
            : false);
    }
}

/// <summary>What the catch-up of Stripe events has done, as operators see it at /api/ops/stripe-events.</summary>
public sealed record StripeCatchUpStatus(
    [property: Description("When the newest Stripe event the catch-up has seen was created: the next run lists from this, less Stripe:CatchUpOverlap.")] DateTimeOffset? NewestSeen,
    [property: Description("That event's id.")] string? NewestSeenId,
    [property: Description("When the last run finished.")] DateTimeOffset? LastRunAt,
    [property: Description("The creation time the last run listed from.")] DateTimeOffset? LastRunFrom,
    [property: Description("Events the last run read from Stripe's list (it overlaps the run before, so most were seen already).")] int LastRunListed,
    [property: Description("Events the last run found that no webhook had brought, and applied as the webhook would have.")] int LastRunCaughtUp,
    [property: Description("Events caught up in all: each is counted once.")] long CaughtUp)
{
    public static readonly StripeCatchUpStatus Never = new(null, null, null, null, 0, 0, 0);
}
