using Atlas.Core.Auth;
using Atlas.Core.Bookings;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Rides;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.OpsConsole;

/// <summary>
/// GET /api/companies/{companyId}/board: the company's newest bookings, each with its ride, and the app's clock, so
/// the console's live board shows a bid window's countdown on the server's time in one call per refresh. Company admins
/// and dispatchers of that company; another company's id is 404.
/// </summary>
public static class BoardFunctions
{
    public const int MaxItems = 50;

    public sealed record BoardEntry(BookingView Booking, RideView? Ride);

    public sealed record Board(DateTimeOffset AsOf, IReadOnlyList<BoardEntry> Items);

    [Function("GetCompanyBoard")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(Board))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/board")] HttpRequest http,
        string companyId,
        Caller caller,
        CompanyStore companies,
        BookingIndex index,
        Lifecycle<Booking, BookingCommand> bookings,
        RideContext rides,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(companyId) || !await companies.IsCurrentMemberAsync(caller, companyId, ct))
        {
            return Problems.NotFound($"Company '{companyId}'");
        }

        var asOf = clock.GetUtcNow();
        var page = await index.PageAsync(BookingIndex.ForCompany(companyId), null, MaxItems, ct);
        var entries = await Task.WhenAll(page.Items.Select(async id =>
        {
            var booking = (await bookings.GetAsync(id, ct)).State;
            var viewer = BookingViews.ViewerOf(caller, booking);
            if (booking.Status == BookingStatus.None || viewer == BookingViewer.None)
            {
                return null;
            }

            var rideId = booking.Assignment?.RideId;
            var ride = rideId is null ? null : await rides.FindAsync(rideId, caller, fresh: false, ct);
            return new BoardEntry(BookingViews.Show(booking, viewer, caller), ride is null ? null : rides.Show(rideId!, ride.Value.Ride, ride.Value.Viewer));
        }));
        return Results.Ok(new Board(asOf, [.. entries.OfType<BoardEntry>()]));
    }
}
