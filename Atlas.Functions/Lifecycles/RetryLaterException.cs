namespace Atlas.Functions.Lifecycles;

/// <summary>
/// An effect handler's "not now": a provider asked for time (429 with Retry-After) or another try is under way. On an
/// effect queue the message goes back with this delay (it does not spend a delivery); in an activity it is a failure
/// the activity's retries cover.
/// </summary>
public sealed class RetryLaterException(TimeSpan delay, string reason) : Exception(reason)
{
    public TimeSpan Delay { get; } = delay;
}
