using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Atlas.Core.Auth;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Rides;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Payments;
using Atlas.Functions.Quotes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Bookings;

/// <summary>Book from a quote (which opens its bid window), list and read bookings, cancel one.</summary>
public static class BookingFunctions
{
    public sealed record BookingRequest([property: Required] string? QuoteId, int? Seats, int? Kg);

    public sealed record CancelRequest([property: Required] RiderCancelReason? Reason);

    public sealed record CancelResponse(string BookingId, BookingStatus Status, long Fee, string Currency);

    public enum RiderCancelReason
    {
        ChangedPlans,
        FoundAnotherRide,
        WaitTooLong,
        BookedByMistake,
        Other,
    }

    [Function("CreateBooking")]
    [Roles(Role.Rider, Role.Dispatcher)]
    [Responds(StatusCodes.Status201Created, typeof(BookingView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bookings")] HttpRequest http,
        [Body] BookingRequest request,
        [IdempotencyKey(Required = true)] string? idempotencyKey,
        Caller caller,
        QuoteTokens quotes,
        IdempotencyKeys keys,
        BookingIndex index,
        CompanyStore companies,
        Lifecycle<Booking, BookingCommand> bookings,
        IOptions<BookingOptions> options,
        PaymentProfiles payments,
        RandomSource random,
        TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IdempotencyKeys.IsWellFormed(idempotencyKey))
        {
            errors[IdempotencyKeys.Header] = [IdempotencyKeys.Rule];
        }

        var quote = quotes.Read(request.QuoteId);
        if (quote is null || quote.UserId != caller.UserId)
        {
            errors["quoteId"] = ["quoteId is the quoteId POST /api/quotes gave you, unchanged."];
        }

        if (quote is not null && (request.Seats is not null || request.Kg is not null)
            && new VehicleCapacity(request.Seats, request.Kg).Check(quote.VehicleType) is { } rule)
        {
            errors[request.Seats is not null ? "seats" : "kg"] = [$"{rule} (seats for people, kg for a load; or neither)"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var card = await payments.FindAsync(caller.UserId, ct);
        var byDispatcher = caller.Role == Role.Dispatcher;
        var company = byDispatcher && await companies.IsCurrentMemberAsync(caller, caller.CompanyId!, ct)
            ? await companies.FindAsync(caller.CompanyId!, ct)
            : null;
        var facts = new BookingFacts(
            quote!.ExpiresAt,
            card is { PaymentMethodId: not null },
            byDispatcher,
            company is null ? null : new BookingCompany(company.Id, company.BidWindowSeconds),
            options.Value.BidWindow);
        var admission = BookingAdmission.Decide(facts, clock.GetUtcNow());
        if (admission is not Admission.Admitted(var companyId, var bidWindow))
        {
            return admission is Admission.Refused refused
                ? Problems.Rejected(refused.Rejection)
                : Problems.Forbidden(((Admission.NotADispatcher)admission).Reason);
        }

        var fingerprint = IdempotencyKeys.Fingerprint(request.QuoteId, request.Seats, request.Kg);
        var claim = await keys.ClaimAsync($"bookings|{caller.UserId}", idempotencyKey!, fingerprint, random.NewId("bk"), ct);
        if (claim.Mismatch)
        {
            return Problems.IdempotencyKeyReused();
        }

        // The lists first: a retry after a crash writes the same rows, then opens the booking it missed.
        var bookingId = claim.ResourceId;
        List<string> lists = [BookingIndex.ForUser(caller.UserId), .. companyId is null ? [] : new[] { BookingIndex.ForCompany(companyId) }];
        await index.AddAsync(lists, bookingId, claim.ClaimedAt, ct);

        var trip = new Trip(quote.Pickup, quote.Dropoff, quote.VehicleType, request.Seats, request.Kg);
        var terms = new BookingTerms(bookingId, caller.UserId, companyId, trip, quote.Fare, quote.ScheduledAt, bidWindow, claim.ClaimedAt);
        var opened = await bookings.ExecuteAsync(bookingId, new OpenBooking(terms), ct, isNew: claim.IsNew);
        return Problems.For(opened, r => Results.Created(
            $"/api/bookings/{bookingId}", BookingViews.Show(r.State, BookingViewer.Booker, caller)));
    }

    [Function("ListBookings")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(Page<BookingView>))]
    public static async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bookings")] HttpRequest http,
        string? after, int? limit, Caller caller, BookingIndex index, Lifecycle<Booking, BookingCommand> bookings, CancellationToken ct)
    {
        if (!Paging.TryRead(after, limit, out var paging, out var problem))
        {
            return problem;
        }

        // Staff see their company's list; everyone else their own (a driver's holds the rides they were given).
        var list = caller is { Role: Role.Dispatcher or Role.CompanyAdmin, CompanyId: { } companyId }
            ? BookingIndex.ForCompany(companyId)
            : BookingIndex.ForUser(caller.UserId);
        var page = await index.PageAsync(list, paging.After, paging.Limit, ct);
        var states = await Task.WhenAll(page.Items.Select(id => bookings.GetAsync(id, ct)));
        var items = states
            .Select(s => s.State)
            .Where(b => b.Status != BookingStatus.None && BookingViews.ViewerOf(caller, b) != BookingViewer.None)
            .Select(b => BookingViews.Show(b, BookingViews.ViewerOf(caller, b), caller))
            .ToList();
        return Results.Ok(new Page<BookingView>(items, page.Next));
    }

    [Function("GetBooking")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(BookingView))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bookings/{bookingId}")] HttpRequest http,
        string bookingId, Caller caller, Lifecycle<Booking, BookingCommand> bookings, CancellationToken ct) =>
        await FindAsync(bookingId, caller, bookings, ct) is { } found
            ? Results.Ok(BookingViews.Show(found.Booking, found.Viewer, caller))
            : Problems.NotFound($"Booking '{bookingId}'");

    [Function("CancelBooking")]
    [Roles(Role.Rider, Role.Dispatcher, Role.CompanyAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(CancelResponse))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bookings/{bookingId}/cancel")] HttpRequest http,
        string bookingId,
        [Body] CancelRequest request,
        Caller caller,
        Lifecycle<Booking, BookingCommand> bookings,
        Lifecycle<Ride, RideCommand> rides,
        CancellationToken ct)
    {
        if (request.Reason is not { } reason)
        {
            return Problems.Validation("reason", "reason is one of changedPlans, foundAnotherRide, waitTooLong, bookedByMistake, other.");
        }

        if (await FindAsync(bookingId, caller, bookings, ct) is not { Viewer: BookingViewer.Booker } found)
        {
            return Problems.NotFound($"Booking '{bookingId}'");
        }

        var reasonCode = JsonNamingPolicy.CamelCase.ConvertName(reason.ToString());
        var currency = found.Booking.Terms!.Quote.Currency;
        if (found.Booking.Status != BookingStatus.Assigned)
        {
            var cancelled = await bookings.ExecuteAsync(bookingId, new CancelBooking(Party.Rider, reasonCode), ct);
            if (cancelled.Rejection != BookingDecider.AlreadyAssigned)
            {
                return Problems.For(cancelled, r => Results.Ok(new CancelResponse(bookingId, r.State.Status, r.State.Ending?.Fee ?? 0, currency)));
            }

            found = found with { Booking = cancelled.State };
        }

        // A driver is assigned: the ride decides (and charges a late cancellation); the booking follows it.
        var ride = await rides.ExecuteAsync(found.Booking.Assignment!.RideId, new CancelRide(Party.Rider, reasonCode), ct);
        return Problems.For(ride, r => Results.Ok(new CancelResponse(bookingId, BookingStatus.Cancelled, r.State.Ending?.Fee ?? 0, currency)));
    }

    private static async Task<(Booking Booking, BookingViewer Viewer)?> FindAsync(
        string bookingId, Caller caller, Lifecycle<Booking, BookingCommand> bookings, CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(bookingId))
        {
            return null;
        }

        var (booking, _) = await bookings.GetAsync(bookingId, ct);
        return booking.Status != BookingStatus.None && BookingViews.ViewerOf(caller, booking) is var viewer and not BookingViewer.None
            ? (booking, viewer)
            : null;
    }
}
