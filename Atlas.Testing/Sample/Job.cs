using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Atlas.Core.Common;

namespace Atlas.Testing.Sample;

// A small lifecycle that exercises every part of the runtime: a command that starts it with an effect and a
// deadline, effect feedback, idempotent repeated commands, a rejection, and a timeout that closes it.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "status")]
[JsonDerivedType(typeof(NotStarted), "notStarted")]
[JsonDerivedType(typeof(Open), "open")]
[JsonDerivedType(typeof(Closed), "closed")]
public abstract record JobState;

public sealed record NotStarted : JobState;

public sealed record Open(string Title, DateTimeOffset ClosesAt, int Total, ImmutableSortedSet<string> AppliedRequests, bool Announced)
    : JobState;

public sealed record Closed(string Title, int Total, DateTimeOffset ClosedAt) : JobState;

public abstract record JobCommand;

public sealed record OpenJob(string Title, TimeSpan OpenFor) : JobCommand;

/// <summary>Adds to the total once per request id, however often it is sent.</summary>
public sealed record AddWork(string RequestId, int Amount) : JobCommand;

/// <summary>Fed back by the announcer once it has announced the opening.</summary>
public sealed record ConfirmAnnounced(string EffectId) : JobCommand;

public sealed record CloseJob : JobCommand;

public sealed record JobTimedOut(DateTimeOffset Deadline) : JobCommand;

public sealed record Announce(string JobId, string Message) : Effect;
