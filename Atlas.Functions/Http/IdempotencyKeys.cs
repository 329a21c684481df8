using System.Security.Cryptography;
using System.Text;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Http;

/// <summary>
/// The Idempotency-Key header on POSTs that create things: the first request with a key claims it for the id of
/// what it creates; a retry with the same key and the same body gets that id back (and so the same resource); the
/// same key with another body is refused. A key is remembered for a day per caller and use.
/// </summary>
public sealed class IdempotencyKeys(ITableStore tables, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string Table = "Idempotency";
    public const int MaxLength = 255;
    public static readonly TimeSpan Remembered = TimeSpan.FromHours(24);

    public const string Rule = "The Idempotency-Key header is required: 1 to 255 visible ASCII characters, new for each new request.";

    public static bool IsWellFormed(string? key) => key is { Length: > 0 and <= MaxLength } && key.All(c => c is > ' ' and <= '~');

    /// <summary>A digest of the request's meaning (its parsed fields), so spacing and field order do not matter.</summary>
    public static string Fingerprint(params object?[] fields) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', fields.Select(f => f?.ToString() ?? "\u0000")))));

    /// <summary>
    /// For a create where the key is optional. Without one: create under <paramref name="newId"/>. With one: the id
    /// it was first claimed for; on a retry, <paramref name="madeBefore"/> looks for what the first request made and
    /// answers with it, or returns null to have it made now under that id (a crash stopped the first). A malformed
    /// key, or one used before for another body, is the answer instead.
    /// </summary>
    public async Task<(string Id, IResult? Answer)> CreateOnceAsync(
        string? key, string scope, string fingerprint, string newId, Func<string, Task<IResult?>> madeBefore, CancellationToken ct)
    {
        if (key is null)
        {
            return (newId, null);
        }

        if (!IsWellFormed(key))
        {
            return (newId, Problems.Validation(Header, Rule));
        }

        var claim = await ClaimAsync(scope, key, fingerprint, newId, ct);
        return claim switch
        {
            { Mismatch: true } => (claim.ResourceId, Problems.IdempotencyKeyReused()),
            { IsNew: false } => (claim.ResourceId, await madeBefore(claim.ResourceId)),
            _ => (claim.ResourceId, null),
        };
    }

    /// <summary>Claims <paramref name="key"/> for <paramref name="newId"/>, or finds what it was claimed for.</summary>
    /// <param name="scope">The use and the caller ("bookings|usr_…"): keys of different callers never meet.</param>
    public async Task<IdempotentClaim> ClaimAsync(string scope, string key, string fingerprint, string newId, CancellationToken ct)
    {
        var rowKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = clock.GetUtcNow();
        var row = new TableRow(scope, rowKey, new Dictionary<string, object?>
        {
            ["Fingerprint"] = fingerprint,
            ["ResourceId"] = newId,
            ["CreatedAt"] = now,
        });

        // Not a retry of a failed call: a race on the key (the row taken, then gone, or replaced under our ETag) is
        // looked at again, a few times at most.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var inserted = await tables.WriteAsync(Table, TableOperation.Insert(row), ct);
            if (inserted.Succeeded)
            {
                return new IdempotentClaim(newId, now, IsNew: true, Mismatch: false);
            }

            var existing = await tables.GetAsync(Table, scope, rowKey, ct);
            if (existing is null)
            {
                continue;
            }

            if (existing.GetTime("CreatedAt") is { } created && created + Remembered > now)
            {
                return new IdempotentClaim(existing.GetString("ResourceId")!, created, IsNew: false, Mismatch: existing.GetString("Fingerprint") != fingerprint);
            }

            // Forgotten: the key starts over, guarded by the ETag so two retries cannot both take it.
            var replaced = await tables.WriteAsync(Table, TableOperation.Replace(row, existing.ETag!), ct);
            if (replaced.Succeeded)
            {
                return new IdempotentClaim(newId, now, IsNew: true, Mismatch: false);
            }
        }

        throw new InvalidOperationException($"The idempotency key of {scope} could not be claimed.");
    }
}

/// <param name="ResourceId">The id this request creates (new) or created before (a retry).</param>
/// <param name="ClaimedAt">When the first request with the key came: the creation time every retry repeats.</param>
/// <param name="Mismatch">The key was used before for a request with another body.</param>
public sealed record IdempotentClaim(string ResourceId, DateTimeOffset ClaimedAt, bool IsNew, bool Mismatch);
