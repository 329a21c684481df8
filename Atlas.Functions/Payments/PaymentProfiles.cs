using Atlas.Functions.Storage;

namespace Atlas.Functions.Payments;

/// <summary>A user's Stripe customer and the card they pay with (a row per user).</summary>
public sealed record PaymentProfile(string UserId, string CustomerId, string? PaymentMethodId, string? Brand, string? Last4);

public sealed class PaymentProfiles(ITableStore tables)
{
    public const string Table = "PaymentProfiles";
    private const string Row = "card";

    public async Task<PaymentProfile?> FindAsync(string userId, CancellationToken ct) =>
        await tables.GetAsync(Table, userId, Row, ct) is { } row
            ? new PaymentProfile(
                userId,
                row.GetString("CustomerId")!,
                row.GetString("PaymentMethodId") is { Length: > 0 } pm ? pm : null,
                row.GetString("Brand"),
                row.GetString("Last4"))
            : null;

    public async Task DeleteAsync(string userId, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Delete(userId, Row), ct);

    public async Task SaveAsync(PaymentProfile profile, CancellationToken ct)
    {
        var write = await tables.WriteAsync(
            Table,
            TableOperation.Upsert(new TableRow(profile.UserId, Row, new Dictionary<string, object?>
            {
                ["CustomerId"] = profile.CustomerId,
                ["PaymentMethodId"] = profile.PaymentMethodId ?? "",
                ["Brand"] = profile.Brand,
                ["Last4"] = profile.Last4,
            })),
            ct);
        if (!write.Succeeded)
        {
            throw new InvalidOperationException($"Saving the payment profile of {profile.UserId} failed: {write.Status}.");
        }
    }
}
