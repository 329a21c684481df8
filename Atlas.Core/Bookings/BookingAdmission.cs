using Atlas.Core.Common;

namespace Atlas.Core.Bookings;

// Whether a valid booking request may open a booking now, and with which bid window. The request's own fields are
// checked before (a 400 names them); these are the rules on what the request meets: its quote, the booker's card, and
// for a dispatcher their company.

/// <summary>A dispatcher's company as it is now.</summary>
/// <param name="BidWindowSeconds">The company's own bid window; null for the platform's.</param>
public sealed record BookingCompany(string Id, int? BidWindowSeconds);

/// <summary>What the rules look at, each fact read from what owns it.</summary>
/// <param name="QuoteExpiresAt">When the quote the booking is made from expires.</param>
/// <param name="HasCard">The booker has a saved card: the winning bid is held on it.</param>
/// <param name="ByDispatcher">A dispatcher books for their company.</param>
/// <param name="Company">A dispatcher's company, when they are still its dispatcher and it still exists; null otherwise
/// (and always for a rider).</param>
/// <param name="DefaultBidWindow">The platform's bid window from the settings.</param>
public sealed record BookingFacts(DateTimeOffset QuoteExpiresAt, bool HasCard, bool ByDispatcher, BookingCompany? Company, TimeSpan DefaultBidWindow);

/// <summary>What becomes of a booking request.</summary>
public abstract record Admission
{
    private Admission()
    {
    }

    /// <summary>The booking opens, listed for the company (null for a rider) and open for bids this long.</summary>
    public sealed record Admitted(string? CompanyId, TimeSpan BidWindow) : Admission;

    /// <summary>Not now: the reason goes back to the booker (a conflict they can fix).</summary>
    public sealed record Refused(Rejection Rejection) : Admission;

    /// <summary>The caller's token says dispatcher, but they no longer are one of that company (or it is gone).</summary>
    public sealed record NotADispatcher(string Reason) : Admission;
}

public static class BookingAdmission
{
    public static Rejection PaymentMethodRequired { get; } = new("payment-method-required", "Add a card first: PUT /api/me/payment-method.");

    public const string NoLongerADispatcher = "You are no longer a dispatcher of your company.";

    public static Rejection QuoteExpired(DateTimeOffset expiresAt) => new("quote-expired", $"The quote expired at {expiresAt:u}; ask for a new one.");

    /// <summary>The first rule that stops the booking (the quote's expiry, then the card, then the dispatcher's standing),
    /// or the booking's company and bid window: a dispatcher books for their company, with the company's bid window.</summary>
    public static Admission Decide(BookingFacts facts, DateTimeOffset now) => facts switch
    {
        _ when now >= facts.QuoteExpiresAt => new Admission.Refused(QuoteExpired(facts.QuoteExpiresAt)),

        // The winning bid is held on the booker's card: without one, nobody could be paid.
        { HasCard: false } => new Admission.Refused(PaymentMethodRequired),
        { ByDispatcher: true, Company: null } => new Admission.NotADispatcher(NoLongerADispatcher),
        { ByDispatcher: true, Company: { } company } => new Admission.Admitted(
            company.Id, company.BidWindowSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : facts.DefaultBidWindow),
        _ => new Admission.Admitted(null, facts.DefaultBidWindow),
    };
}
