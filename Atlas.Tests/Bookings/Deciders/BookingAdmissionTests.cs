using Atlas.Core.Bookings;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>Whether a booking request opens a booking now: the quote's expiry, then the booker's card, then a
/// dispatcher's standing with their company; and the bid window it opens with.</summary>
public sealed class BookingAdmissionTests
{
    private static readonly DateTimeOffset Now = BookingFixtures.Now;
    private static readonly TimeSpan Platform = TimeSpan.FromSeconds(60);
    private static readonly BookingFacts Rider = new(Now.AddMinutes(5), HasCard: true, ByDispatcher: false, Company: null, Platform);
    private static readonly BookingFacts Dispatcher = Rider with { ByDispatcher = true, Company = new BookingCompany("co_1", null) };

    [Fact]
    public void GivenARiderWithACardAndAFreshQuote_WhenTheyBook_ThenTheBookingOpensWithThePlatformsWindowAndNoCompany()
    {
        Assert.Equal(new Admission.Admitted(null, Platform), BookingAdmission.Decide(Rider, Now));
    }

    [Fact]
    public void GivenAQuoteThatExpiresInAMoment_WhenBookedJustBefore_ThenTheBookingOpens()
    {
        Assert.IsType<Admission.Admitted>(BookingAdmission.Decide(Rider, Rider.QuoteExpiresAt.AddTicks(-1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void GivenAnExpiredQuote_WhenBookedAtOrAfterItsExpiry_ThenRefusedSayingWhenItExpired(int secondsLate)
    {
        var refused = Assert.IsType<Admission.Refused>(BookingAdmission.Decide(Rider, Rider.QuoteExpiresAt.AddSeconds(secondsLate)));

        Assert.Equal("quote-expired", refused.Rejection.Code);
        Assert.Equal("The quote expired at 2026-11-22 09:05:00Z; ask for a new one.", refused.Rejection.Reason);
    }

    [Fact]
    public void GivenABookerWithoutACard_WhenTheyBook_ThenRefusedUntilTheyAddOne()
    {
        var refused = Assert.IsType<Admission.Refused>(BookingAdmission.Decide(Rider with { HasCard = false }, Now));

        Assert.Equal("payment-method-required", refused.Rejection.Code);
        Assert.Contains("PUT /api/me/payment-method", refused.Rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnExpiredQuoteAndNoCard_WhenBooked_ThenTheQuoteIsNamedFirst()
    {
        var refused = Assert.IsType<Admission.Refused>(BookingAdmission.Decide(Rider with { HasCard = false }, Rider.QuoteExpiresAt));

        Assert.Equal("quote-expired", refused.Rejection.Code);
    }

    [Fact]
    public void GivenADispatcherOfACompanyWithoutItsOwnWindow_WhenTheyBook_ThenTheBookingIsTheCompanysWithThePlatformsWindow()
    {
        Assert.Equal(new Admission.Admitted("co_1", Platform), BookingAdmission.Decide(Dispatcher, Now));
    }

    [Fact]
    public void GivenADispatcherOfACompanyWithItsOwnWindow_WhenTheyBook_ThenTheBookingOpensForTheCompanysWindow()
    {
        var admitted = BookingAdmission.Decide(Dispatcher with { Company = new BookingCompany("co_1", 120) }, Now);

        Assert.Equal(new Admission.Admitted("co_1", TimeSpan.FromSeconds(120)), admitted);
    }

    [Fact]
    public void GivenADispatcherNoLongerOfTheirCompany_WhenTheyBook_ThenToldTheyAreNoLongerItsDispatcher()
    {
        var refused = Assert.IsType<Admission.NotADispatcher>(BookingAdmission.Decide(Dispatcher with { Company = null }, Now));

        Assert.Equal("You are no longer a dispatcher of your company.", refused.Reason);
    }

    [Fact]
    public void GivenADispatcherNoLongerOfTheirCompanyAndWithoutACard_WhenTheyBook_ThenTheCardIsNamedFirst()
    {
        var refused = Assert.IsType<Admission.Refused>(BookingAdmission.Decide(Dispatcher with { Company = null, HasCard = false }, Now));

        Assert.Equal("payment-method-required", refused.Rejection.Code);
    }
}
