using System.Collections.Immutable;

namespace Atlas.Core.Bookings;

// What a booking's journey flow knows of the lifecycles it follows (the booking, each ride of it, each ride's escrow),
// and what it does next: the earliest deadline any of them waits on (the scheduled opening, the bid window's close and
// its extension, the set-off, the rider's wait and the start code, the 3-D Secure window, the hold's renewal), and when
// the journey is over. The deciders make every rule of the process; this is what the flow follows them by.

/// <summary>What the journey last heard of one lifecycle instance.</summary>
/// <param name="Version">The instance's version when it was heard: newer news replaces older, never the other way.</param>
/// <param name="Deadline">When the instance's decider wants its timeout (its clock); null when it waits on no time.</param>
/// <param name="Awaits">Instances (their keys) the journey must hear over before it ends: the booking's assigned ride and
/// its escrow, so a journey never ends before news of them reached it.</param>
/// <param name="WakeAt">When to look again instead of <paramref name="Deadline"/>: a timer that fired before the app's clock
/// reached the deadline, or a firing that failed.</param>
/// <param name="Trace">The traceparent of the command that set the deadline: the firing continues that trace.</param>
public sealed record JourneyWatch(
    long Version, DateTimeOffset? Deadline, bool Over, IReadOnlyList<string> Awaits, DateTimeOffset? WakeAt = null, string? Trace = null)
{
    public DateTimeOffset? Due => Over ? null : WakeAt ?? Deadline;
}

/// <summary>The deadline the journey waits on next: whose it is, when to wake, and the deadline to fire.</summary>
public sealed record JourneyWake(string Key, DateTimeOffset At, DateTimeOffset Deadline);

public sealed record Journey(ImmutableSortedDictionary<string, JourneyWatch> Watches)
{
    public static Journey Empty { get; } = new(ImmutableSortedDictionary.Create<string, JourneyWatch>(StringComparer.Ordinal));

    /// <summary>News of an instance: kept if it is newer than what the journey knows.</summary>
    public Journey Heard(string key, JourneyWatch watch) =>
        Watches.TryGetValue(key, out var known) && known.Version >= watch.Version ? this : new(Watches.SetItem(key, watch));

    /// <summary>Look at <paramref name="key"/>'s deadline again at <paramref name="at"/> rather than now.</summary>
    public Journey WakeLater(string key, DateTimeOffset at) => new(Watches.SetItem(key, Watches[key] with { WakeAt = at }));

    /// <summary>The earliest deadline of an instance that is not over; null when nothing waits on time.</summary>
    public JourneyWake? Next => Watches
        .Where(w => w.Value.Due is not null && w.Value.Deadline is not null)
        .Select(w => new JourneyWake(w.Key, w.Value.Due!.Value, w.Value.Deadline!.Value))
        .OrderBy(w => w.At)
        .FirstOrDefault();

    /// <summary>Every instance heard of is over, and every one awaited has been heard.</summary>
    public bool IsOver => !Watches.IsEmpty
        && Watches.Values.All(w => w.Over)
        && Watches.Values.SelectMany(w => w.Awaits).All(Watches.ContainsKey);
}
