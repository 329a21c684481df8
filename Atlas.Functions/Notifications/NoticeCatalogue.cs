using System.Globalization;
using Atlas.Core.Notifications;

namespace Atlas.Functions.Notifications;

/// <summary>How a notice reaches its user: push always; a text for what cannot wait; an email for the receipt.</summary>
[Flags]
public enum Channels
{
    Push = 1,
    Sms = 2,

    /// <summary>The ride's receipt, to a verified email (<see cref="Receipts"/>).</summary>
    Email = 4,
}

/// <summary>
/// Every notice the lifecycles send: its channels and its words in each language Atlas speaks (English, the default,
/// and French), the user's language when they set one. Amounts are minor units; the app formats them in its locale.
/// </summary>
public static class NoticeCatalogue
{
    public const string DefaultLanguage = "en";

    public static readonly IReadOnlyList<string> Languages = ["en", "fr"];

    private sealed record Entry(Channels Channels, Func<Notice, string> En, Func<Notice, string> Fr);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["booking.open"] = new(Channels.Push, n => $"A new booking near you is open for bids (quote {A(n)}).", n => $"Une nouvelle réservation près de vous attend vos offres (devis {A(n)})."),
        ["booking.extended"] = new(Channels.Push, _ => "No driver has bid yet: bidding stays open a little longer.", _ => "Aucun chauffeur n'a encore fait d'offre : les offres restent ouvertes un peu plus longtemps."),
        ["booking.expired"] = new(Channels.Push, _ => "Sorry, no driver could take your booking.", _ => "Désolé, aucun chauffeur n'a pu prendre votre réservation."),
        ["booking.assigned"] = new(Channels.Push, n => $"A driver took your booking for {A(n)}.", n => $"Un chauffeur a pris votre réservation pour {A(n)}."),
        ["booking.cancelled"] = new(Channels.Push, _ => "The booking was cancelled.", _ => "La réservation a été annulée."),
        ["booking.reassigning"] = new(Channels.Push, _ => "Your driver dropped out: we are finding you another.", _ => "Votre chauffeur s'est désisté : nous vous en cherchons un autre."),
        ["booking.reopened"] = new(Channels.Push, _ => "We could not take payment for the ride: it is open to drivers again. Check your card.", _ => "Le paiement de la course a échoué : elle est de nouveau proposée aux chauffeurs. Vérifiez votre carte."),
        ["bid.won"] = new(Channels.Push | Channels.Sms, n => $"You won the booking for {A(n)}. Set off within 5 minutes.", n => $"Vous avez remporté la réservation pour {A(n)}. Partez dans les 5 minutes."),
        ["bid.lost"] = new(Channels.Push, _ => "Another driver won the booking.", _ => "Un autre chauffeur a remporté la réservation."),
        ["ride.driver-en-route"] = new(Channels.Push, _ => "Your driver is on the way.", _ => "Votre chauffeur est en route."),
        ["ride.driver-arrived"] = new(Channels.Push | Channels.Sms, _ => "Your driver has arrived.", _ => "Votre chauffeur est arrivé."),
        ["ride.rider-late"] = new(Channels.Push, _ => "The waiting time is over.", _ => "Le temps d'attente est écoulé."),
        ["ride.started"] = new(Channels.Push, _ => "Your ride has started.", _ => "Votre course a commencé."),
        ["ride.start-locked"] = new(Channels.Push, _ => "Too many wrong start codes: a dispatcher must unlock the start.", _ => "Trop de codes de départ erronés : un répartiteur doit débloquer le départ."),
        ["ride.start-unlocked"] = new(Channels.Push, _ => "The start code can be tried again.", _ => "Le code de départ peut de nouveau être essayé."),
        ["ride.completed"] = new(Channels.Push, n => $"The ride is complete: {A(n)}.", n => $"La course est terminée : {A(n)}."),
        ["ride.cancelled"] = new(
            Channels.Push,
            n => n.Amount is > 0 ? $"The ride was cancelled (fee {A(n)})." : "The ride was cancelled.",
            n => n.Amount is > 0 ? $"La course a été annulée (frais {A(n)})." : "La course a été annulée."),
        ["ride.no-show"] = new(Channels.Push, n => $"The ride ended as a no-show (fee {A(n)}).", n => $"La course s'est terminée sans passager (frais {A(n)})."),
        ["payment.declined"] = new(Channels.Push | Channels.Sms, _ => "Your card was declined. Add another card to keep your booking.", _ => "Votre carte a été refusée. Ajoutez une autre carte pour garder votre réservation."),
        ["payment.action-required"] = new(Channels.Push | Channels.Sms, _ => "Your bank asks you to confirm the payment in the app.", _ => "Votre banque vous demande de confirmer le paiement dans l'application."),
        ["payment.captured"] = new(Channels.Push | Channels.Email, n => $"You paid {A(n)} for your ride.", n => $"Vous avez payé {A(n)} pour votre course."),
        ["payment.refunded"] = new(Channels.Push, n => $"{A(n)} was refunded to your card.", n => $"{A(n)} ont été remboursés sur votre carte."),
        ["tip.received"] = new(Channels.Push, n => $"You were tipped {A(n)}.", n => $"Vous avez reçu un pourboire de {A(n)}."),
        ["tip.declined"] = new(Channels.Push, _ => "Your tip could not be charged to your card.", _ => "Votre pourboire n'a pas pu être débité de votre carte."),
        ["payout.held"] = new(Channels.Push, _ => "A rider disputed a ride's payment: its earnings are held until the dispute is settled.", _ => "Un passager conteste le paiement d'une course : ses gains sont retenus jusqu'au règlement du litige."),
        ["payout.released"] = new(Channels.Push, _ => "A disputed ride's earnings are released to your next payout.", _ => "Les gains d'une course contestée seront versés avec votre prochain paiement."),
        ["payout.forfeited"] = new(Channels.Push, _ => "A disputed ride's payment was lost: its earnings are taken back.", _ => "Le paiement d'une course contestée a été perdu : ses gains sont repris."),
    };

    private static readonly Dictionary<string, (string En, string Fr)> Titles = new(StringComparer.Ordinal)
    {
        ["booking"] = ("Booking", "Réservation"),
        ["bid"] = ("Bid", "Offre"),
        ["ride"] = ("Ride", "Course"),
        ["payment"] = ("Payment", "Paiement"),
        ["tip"] = ("Tip", "Pourboire"),
        ["payout"] = ("Earnings", "Gains"),
    };

    public static IReadOnlyCollection<string> Topics => Entries.Keys;

    public static bool IsLanguage(string? language) => language is not null && Languages.Contains(language);

    public static Channels ChannelsOf(string topic) => Find(topic).Channels;

    /// <summary>The notice's words in <paramref name="language"/> (English when none is set).</summary>
    public static string Text(Notice notice, string? language) =>
        language == "fr" ? Find(notice.Topic).Fr(notice) : Find(notice.Topic).En(notice);

    /// <summary>A push notice's title: what the notice is about.</summary>
    public static string Title(string topic, string? language)
    {
        Find(topic);
        var (en, fr) = Titles[topic[..topic.IndexOf('.', StringComparison.Ordinal)]];
        return language == "fr" ? fr : en;
    }

    private static Entry Find(string topic) =>
        Entries.TryGetValue(topic, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(topic), topic, "No notice has this topic.");

    private static string A(Notice notice) => (notice.Amount ?? 0).ToString(CultureInfo.InvariantCulture);
}
