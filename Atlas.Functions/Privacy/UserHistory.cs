using Atlas.Core.Bookings;
using Atlas.Core.Rides;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Privacy;

/// <summary>A ride the user took part in, and as whom.</summary>
public sealed record UserRide(string RideId, Ride Ride, Party As);

/// <summary>
/// Everything a user booked or drove, from their list in the <see cref="BookingIndex"/> (the bookings they made, and
/// those they were assigned as a driver): the bookings, and the rides of every round whose rider or driver they are.
/// </summary>
public sealed class UserHistory(BookingIndex index, Lifecycle<Booking, BookingCommand> bookings, Lifecycle<Ride, RideCommand> rides)
{
    /// <summary>The bookings of the user's list, newest first.</summary>
    public async Task<IReadOnlyList<Booking>> BookingsAsync(string userId, CancellationToken ct)
    {
        var ids = await index.AllAsync(BookingIndex.ForUser(userId), ct);
        var states = await ReadAsync(ids, async (id, token) => (await bookings.GetAsync(id, token)).State, ct);
        return [.. states.Where(b => b.Terms is not null)];
    }

    /// <summary>The bookings the user made that have not ended.</summary>
    public static IReadOnlyList<string> Open(string userId, IEnumerable<Booking> bookings) =>
        [.. bookings.Where(b => b.Terms!.RiderId == userId && (b.IsOpen || b.Status == BookingStatus.Assigned)).Select(b => b.Terms!.BookingId)];

    /// <summary>The rides of these bookings (every round's) that the user rode in or drove.</summary>
    public async Task<IReadOnlyList<UserRide>> RidesAsync(string userId, IEnumerable<Booking> of, CancellationToken ct)
    {
        var ids = of.SelectMany(b => Enumerable.Range(1, b.Round).Select(round => RideIds.For(b.Terms!.BookingId, round))).ToList();
        var states = await ReadAsync(ids, async (id, token) => (Id: id, (await rides.GetAsync(id, token)).State), ct);
        return
        [
            .. states
                .Where(s => s.State.Terms is not null && (s.State.Terms.RiderId == userId || s.State.Terms.DriverUserId == userId))
                .Select(s => new UserRide(s.Id, s.State, s.State.Terms!.RiderId == userId ? Party.Rider : Party.Driver)),
        ];
    }

    /// <summary>Reads a few at a time, in order: a long history must not flood storage with reads at once.</summary>
    private static async Task<IReadOnlyList<T>> ReadAsync<T>(IReadOnlyList<string> ids, Func<string, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var results = new T[ids.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) => results[i] = await read(ids[i], token));
        return results;
    }
}
