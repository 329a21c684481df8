using Atlas.Core.Common;

namespace Atlas.Testing.Sample;

public sealed class JobDecider : Decider<JobState, JobCommand>
{
    public const string Name = "job";

    public override string Type => Name;

    public override JobState Initial { get; } = new NotStarted();

    public override JobCommand Timeout(DateTimeOffset deadline) => new JobTimedOut(deadline);

    public override Decision<JobState> Decide(JobState state, JobCommand command, DateTimeOffset now) => (state, command) switch
    {
        (NotStarted, OpenJob open) => Decision<JobState>.Accept(
            new Open(open.Title, now + open.OpenFor, 0, [], Announced: false),
            now + open.OpenFor,
            new Announce(open.Title, "opened")),
        (Open, OpenJob) => Decision<JobState>.Ignore(),

        (Open o, AddWork add) when o.AppliedRequests.Contains(add.RequestId) => Decision<JobState>.Ignore(),
        (Open o, AddWork add) => Decision<JobState>.Accept(
            o with { Total = o.Total + add.Amount, AppliedRequests = o.AppliedRequests.Add(add.RequestId) }, o.ClosesAt),

        (Open { Announced: false } o, ConfirmAnnounced) => Decision<JobState>.Accept(o with { Announced = true }, o.ClosesAt),
        (_, ConfirmAnnounced) => Decision<JobState>.Ignore(),

        (Open o, CloseJob) => Close(o, now),
        (Closed, CloseJob) => Decision<JobState>.Ignore(),

        // A timeout counts only if it is the deadline this state waits for, and only once it has come.
        (Open o, JobTimedOut t) when t.Deadline == o.ClosesAt && now >= o.ClosesAt => Close(o, now),
        (_, JobTimedOut) => Decision<JobState>.Ignore(),

        (Closed, _) => Decision<JobState>.Reject("job-closed", "The job is closed."),
        (NotStarted, _) => Decision<JobState>.Reject("job-not-open", "The job has not been opened."),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };

    private static Decision<JobState> Close(Open open, DateTimeOffset now) =>
        Decision<JobState>.Accept(new Closed(open.Title, open.Total, now), null, new Announce(open.Title, "closed"));
}
