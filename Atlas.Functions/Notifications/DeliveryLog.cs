using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Notifications;

/// <summary>
/// Once-only sending through providers that take no idempotency key (Twilio, FCM, SendGrid): a row per channel and
/// key, claimed before the call and closed after it. A send that went, or was refused for good, is never made again;
/// one that failed is tried again (not before a provider's Retry-After); a claim left open by a process that died
/// mid-call is taken over after <see cref="InFlightFor"/> — the one case where a message can go twice, as the
/// provider gives no way to ask whether it went.
/// </summary>
public sealed class DeliveryLog(ITableStore tables, TimeProvider clock)
{
    public const string Table = "Deliveries";

    /// <summary>Longer than any provider call takes (their clients time out within it).</summary>
    public static readonly TimeSpan InFlightFor = TimeSpan.FromMinutes(1);

    /// <summary>Tries before a send is given up and recorded as refused.</summary>
    public const int MaxTries = 10;

    public enum Claim
    {
        /// <summary>The caller sends, then says how it went.</summary>
        Send,

        /// <summary>It went, or was refused or given up, before: nothing to do.</summary>
        Done,
    }

    /// <exception cref="RetryLaterException">Another try is under way, or the provider asked to wait.</exception>
    public async Task<Claim> ClaimAsync(string channel, string key, CancellationToken ct)
    {
        var rowKey = Uri.EscapeDataString(key);
        while (true)
        {
            var now = clock.GetUtcNow();
            var claim = Row(channel, rowKey, "claimed", now, tries: 1);
            if ((await tables.WriteAsync(Table, TableOperation.Insert(claim), ct)).Succeeded)
            {
                return Claim.Send;
            }

            if (await tables.GetAsync(Table, channel, rowKey, ct) is not { } row)
            {
                continue;
            }

            var tries = (int)row.GetLong("Tries");
            switch (row.GetString("Status"))
            {
                case "sent" or "refused":
                    return Claim.Done;
                case "claimed" when row.GetTime("At") + InFlightFor is { } until && until > now:
                    throw new RetryLaterException(until - now, $"A send of {channel} {key} is under way.");
                case "failed" when row.GetTime("RetryAt") is { } retryAt && retryAt > now:
                    throw new RetryLaterException(retryAt - now, $"The provider asked {channel} {key} to wait.");
                case var _ when tries >= MaxTries:
                    await CloseAsync(channel, key, "refused", $"gave up after {tries} tries", ct);
                    return Claim.Done;
            }

            var retaken = await tables.WriteAsync(Table, TableOperation.Replace(Row(channel, rowKey, "claimed", now, tries + 1), row.ETag!), ct);
            if (retaken.Succeeded)
            {
                return Claim.Send;
            }
        }
    }

    public Task SentAsync(string channel, string key, string? providerId, CancellationToken ct) =>
        CloseAsync(channel, key, "sent", providerId, ct);

    /// <summary>Refused for good (an invalid number, a dead token): never tried again.</summary>
    public Task RefusedAsync(string channel, string key, string reason, CancellationToken ct) =>
        CloseAsync(channel, key, "refused", reason, ct);

    /// <summary>Failed for now: the next try waits <paramref name="retryAfter"/> (the provider's word) or backs off,
    /// 2 s doubling up to 5 minutes (about 18 minutes over <see cref="MaxTries"/> tries).</summary>
    /// <returns>How long the next try waits.</returns>
    public async Task<TimeSpan> FailedAsync(string channel, string key, TimeSpan? retryAfter, CancellationToken ct)
    {
        var rowKey = Uri.EscapeDataString(key);
        var tries = (int)((await tables.GetAsync(Table, channel, rowKey, ct))?.GetLong("Tries") ?? 1);
        var delay = retryAfter ?? Backoff(tries);
        await tables.WriteAsync(
            Table,
            TableOperation.Merge(new TableRow(channel, rowKey, new Dictionary<string, object?> { ["Status"] = "failed", ["RetryAt"] = clock.GetUtcNow() + delay }), "*"),
            ct);
        return delay;
    }

    public static TimeSpan Backoff(int tries) => TimeSpan.FromSeconds(Math.Min(300, 2 << Math.Clamp(tries - 1, 0, 8)));

    private async Task CloseAsync(string channel, string key, string status, string? detail, CancellationToken ct) =>
        await tables.WriteAsync(
            Table,
            TableOperation.Merge(new TableRow(channel, Uri.EscapeDataString(key), new Dictionary<string, object?> { ["Status"] = status, ["Detail"] = detail, ["At"] = clock.GetUtcNow() }), "*"),
            ct);

    private static TableRow Row(string channel, string rowKey, string status, DateTimeOffset at, int tries) =>
        new(channel, rowKey, new Dictionary<string, object?> { ["Status"] = status, ["At"] = at, ["Tries"] = tries });
}
