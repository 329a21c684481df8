using System.Globalization;
using System.Text;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Payments;

namespace Atlas.Functions.Notifications;

/// <summary>What a rider paid for a ride, line by line: the fare (or the fee a cancelled ride cost), the tip, the total,
/// the card and the company that drove.</summary>
public sealed record Receipt(
    string RideId,
    string Currency,
    IReadOnlyList<(string Label, long Amount)> Lines,
    long Total,
    string Pickup,
    string Dropoff,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Card,
    string? Company);

/// <summary>
/// The rider's receipt, emailed when the ride's payment is captured (the <c>payment.captured</c> notice's email
/// channel). Its figures are the escrow's — what Stripe captured and the tip it charged — which are what the ledger
/// records, so the two agree.
/// </summary>
public sealed class Receipts(
    Lifecycle<Escrow, EscrowCommand> escrows, Lifecycle<Ride, RideCommand> rides, CompanyStore companies, PaymentProfiles cards, IEmailSender email)
{
    public async Task SendAsync(string rideId, string to, string? language, string key, CancellationToken ct)
    {
        var receipt = await ComposeAsync(rideId, ct);
        var fr = language == "fr";
        var subject = fr ? $"Votre reçu Atlas : {Money(receipt.Total, receipt.Currency)}" : $"Your Atlas receipt: {Money(receipt.Total, receipt.Currency)}";
        await email.SendAsync(new EmailMessage(to, subject, Text(receipt, fr), "receipt"), key, ct);
    }

    public async Task<Receipt> ComposeAsync(string rideId, CancellationToken ct)
    {
        var (escrow, _) = await escrows.GetAsync(rideId, ct);
        var (ride, _) = await rides.GetAsync(rideId, ct);
        var terms = escrow.Terms ?? throw new InvalidOperationException($"Ride {rideId} has no escrow to make a receipt of.");
        var tip = escrow.Tip is { Done: true } charged ? charged.Amount : 0;
        List<(string, long)> lines = [(escrow.Outcome == RideStatus.Completed ? "fare" : "cancellation-fee", escrow.Captured)];
        if (tip > 0)
        {
            lines.Add(("tip", tip));
        }

        var card = await cards.FindAsync(terms.RiderId, ct) is { Brand: { } brand, Last4: { } last4 } ? $"{brand} •••• {last4}" : null;
        var company = (await companies.FindAsync(terms.CompanyId, ct))?.Name;
        var trip = ride.Terms?.Trip;
        return new Receipt(
            rideId, terms.Currency, lines, escrow.Captured + tip, Place(trip?.Pickup), Place(trip?.Dropoff), ride.StartedAt, ride.Ending?.At, card, company);
    }

    private static string Text(Receipt receipt, bool fr)
    {
        var text = new StringBuilder();
        text.AppendLine(fr ? $"Reçu de la course {receipt.RideId}" : $"Receipt for ride {receipt.RideId}");
        text.AppendLine(fr ? $"Départ : {receipt.Pickup}" : $"Pickup: {receipt.Pickup}");
        text.AppendLine(fr ? $"Arrivée : {receipt.Dropoff}" : $"Dropoff: {receipt.Dropoff}");
        text.AppendLine(fr ? $"Début : {Time(receipt.StartedAt)}, fin : {Time(receipt.EndedAt)}" : $"Started: {Time(receipt.StartedAt)}, ended: {Time(receipt.EndedAt)}");
        foreach (var (label, amount) in receipt.Lines)
        {
            text.AppendLine($"{Label(label, fr)}: {Money(amount, receipt.Currency)}");
        }

        text.AppendLine($"Total: {Money(receipt.Total, receipt.Currency)}");
        text.AppendLine(fr ? $"Payé par : {receipt.Card ?? "carte"}" : $"Paid with: {receipt.Card ?? "card"}");
        text.AppendLine(fr ? $"Chauffeur de : {receipt.Company ?? "-"}" : $"Driven by: {receipt.Company ?? "-"}");
        return text.ToString();
    }

    private static string Label(string line, bool fr) => (line, fr) switch
    {
        ("fare", false) => "Fare",
        ("fare", true) => "Course",
        ("tip", false) => "Tip",
        ("tip", true) => "Pourboire",
        (_, false) => "Cancellation fee",
        (_, true) => "Frais d'annulation",
    };

    /// <summary>Minor units as the currency's amount (two decimals: the currencies Atlas prices in have two).</summary>
    public static string Money(long minor, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{currency} {minor / 100m:0.00}");

    private static string Place(Atlas.Core.Common.GeoPoint? point) =>
        point is not { } p ? "-" : string.Create(CultureInfo.InvariantCulture, $"{p.Lat:0.0000}, {p.Lng:0.0000}");

    private static string Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "-";
}
