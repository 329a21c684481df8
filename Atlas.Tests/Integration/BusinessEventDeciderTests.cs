using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Integration;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using BookingCase = Atlas.Tests.Bookings.Deciders.BookingFixtures;
using EscrowCase = Atlas.Tests.Payments.Deciders.EscrowFixtures;
using RideCase = Atlas.Tests.Rides.Deciders.RideFixtures;

namespace Atlas.Tests.Integration;

/// <summary>Every business event comes from the transition it names, as an effect of that decision, with the ids,
/// company and amount it concerns.</summary>
public sealed class BusinessEventDeciderTests
{
    [Fact]
    public void A_booking_made_by_a_dispatcher_is_created_in_their_company()
    {
        var terms = BookingCase.Terms() with { CompanyId = "co_dispatch" };

        var e = Published(BookingCase.Decider.Decide(Booking.None, new OpenBooking(terms), BookingCase.Now));

        Assert.Equal(new BusinessEvent(BusinessEvents.BookingCreated, BookingCase.Now, "co_dispatch", BookingCase.BookingId, Amount: BookingCase.Quote.Total, Currency: "GBP"), e);
    }

    [Fact]
    public void A_booking_cancelled_before_a_driver_is_assigned_says_why()
    {
        var e = Published(BookingCase.Decider.Decide(BookingCase.Bidding(), new CancelBooking(Party.Rider, "changedPlans"), BookingCase.Now.AddSeconds(5)));

        Assert.Equal(new BusinessEvent(BusinessEvents.BookingCancelled, BookingCase.Now.AddSeconds(5), null, BookingCase.BookingId, Reason: "changedPlans"), e);
    }

    [Fact]
    public void An_assignment_is_the_ride_assigned_in_the_winners_company_at_the_winning_price()
    {
        var awarding = BookingCase.Awarding(BookingCase.BidOf("drv_a", 900));

        var e = Published(BookingCase.Decider.Decide(awarding, new DriverReserved(BookingCase.Ride1, "drv_a"), BookingCase.ClosesAt.AddSeconds(1)));

        Assert.Equal(new BusinessEvent(BusinessEvents.RideAssigned, BookingCase.ClosesAt.AddSeconds(1), "co_drv_a", BookingCase.BookingId, BookingCase.Ride1, "drv_a", 900, "GBP"), e);
    }

    [Fact]
    public void A_completed_ride_carries_its_price_and_the_drivers_company()
    {
        var at = RideCase.ArrivedAt.AddMinutes(20);

        var e = Published(RideCase.Decider.Decide(RideCase.InProgress(), new CompleteRide(), at));

        Assert.Equal(new BusinessEvent(BusinessEvents.RideCompleted, at, "co_1", "bk_1", "rd_1", "mb_driver", 1200, "GBP"), e);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("no-show")]
    [InlineData("timeout")]
    public void A_ride_that_ends_without_the_trip_is_cancelled_with_its_fee_and_reason(string how)
    {
        var (state, command, at, reason, fee) = how switch
        {
            "cancel" => (RideCase.Arrived(), (RideCommand)new CancelRide(Party.Driver, "vehicle-problem"), RideCase.ArrivedAt.AddMinutes(1), "vehicle-problem", 0L),
            "no-show" => (RideCase.Arrived(), new MarkNoShow(), RideCase.WaitOverAt, "rider-no-show", RideCase.Rules.NoShowFee),
            _ => (RideCase.Assigned(), new RideTimedOut(RideCase.SetOffBy), RideCase.SetOffBy, "driver-did-not-set-off", 0L),
        };

        var e = Published(RideCase.Decider.Decide(state, command, at));

        Assert.Equal(new BusinessEvent(BusinessEvents.RideCancelled, at, "co_1", "bk_1", "rd_1", "mb_driver", fee, "GBP", reason), e);
    }

    [Fact]
    public void A_capture_is_the_payment_captured_for_what_was_taken()
    {
        var at = EscrowCase.Now.AddHours(1);

        var e = Published(EscrowCase.Decider.Decide(EscrowCase.Capturing(), new PaymentCaptured(EscrowCase.Intent, 950), at));

        Assert.Equal(new BusinessEvent(BusinessEvents.PaymentCaptured, at, "co_1", "bk_1", "rd_1", "mb_driver", 950, "GBP"), e);
    }

    [Fact]
    public void A_refund_is_published_when_stripe_has_made_it_not_when_it_is_asked_for()
    {
        var asked = Accepted(EscrowCase.Decider.Decide(EscrowCase.Captured(), new RequestRefund("rf_1", 300), EscrowCase.Now.AddHours(1)));
        var at = EscrowCase.Now.AddHours(2);

        var e = Published(EscrowCase.Decider.Decide(asked.State, new RefundSucceeded("rf_1"), at));

        Assert.DoesNotContain(asked.Effects, x => x is Publish);
        Assert.Equal(new BusinessEvent(BusinessEvents.PaymentRefunded, at, "co_1", "bk_1", "rd_1", "mb_driver", 300, "GBP"), e);
    }

    [Theory]
    [InlineData(true, "won")]
    [InlineData(false, "lost")]
    public void A_dispute_opens_with_its_amount_and_closes_with_its_outcome(bool won, string outcome)
    {
        var opened = Accepted(EscrowCase.Decider.Decide(EscrowCase.Captured(), new DisputeOpened("dp_1", 1000), EscrowCase.Now.AddDays(1)));
        var closed = Published(EscrowCase.Decider.Decide(opened.State, new DisputeClosed("dp_1", won), EscrowCase.Now.AddDays(9)));

        Assert.Equal(new BusinessEvent(BusinessEvents.DisputeOpened, EscrowCase.Now.AddDays(1), "co_1", "bk_1", "rd_1", "mb_driver", 1000, "GBP"), Single(opened));
        Assert.Equal(new BusinessEvent(BusinessEvents.DisputeClosed, EscrowCase.Now.AddDays(9), "co_1", "bk_1", "rd_1", "mb_driver", 1000, "GBP", outcome), closed);
    }

    [Fact]
    public void A_repeated_command_publishes_nothing_again()
    {
        Assert.IsType<Decision<Ride>.Unchanged>(RideCase.Decider.Decide(RideCase.Completed(), new CompleteRide(), RideCase.ArrivedAt.AddMinutes(30)));
        Assert.IsType<Decision<Escrow>.Unchanged>(EscrowCase.Decider.Decide(EscrowCase.Captured(), new PaymentCaptured(EscrowCase.Intent, EscrowCase.Price), EscrowCase.Now.AddHours(1)));
    }

    private static BusinessEvent Published<TState>(Decision<TState> decision)
        where TState : class => Single(Accepted(decision));

    private static BusinessEvent Single<TState>(Decision<TState>.Accepted accepted)
        where TState : class => Assert.Single(accepted.Effects.OfType<Publish>()).Event;

    private static Decision<TState>.Accepted Accepted<TState>(Decision<TState> decision)
        where TState : class => Assert.IsType<Decision<TState>.Accepted>(decision);
}
