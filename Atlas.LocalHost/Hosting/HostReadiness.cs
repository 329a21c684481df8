namespace Atlas.LocalHost.Hosting;

/// <summary>
/// Whether the host serves its functions. Not while it starts: until the Durable engine and every trigger listener are
/// up, a function with <c>[DurableClient]</c> would get no client and fail (issue 20: a 500, and a healthy /api/health,
/// before the engine had started). Nor once it has begun to stop. Meanwhile HTTP answers 503 with Retry-After, as the
/// Functions host answers while its script host is not running.
/// </summary>
internal sealed class HostReadiness
{
    private static readonly NotServing Starting = new(
        "The host is starting",
        "Functions are served once the worker, the Durable engine and every trigger listener are up.");

    private static readonly NotServing Stopped = new("The host is stopping", "It serves no more functions.");

    private volatile NotServing? _notServing = Starting;

    /// <summary>Why functions are not served now, or null when they are.</summary>
    public NotServing? NotServingBecause => _notServing;

    public void Ready() => _notServing = null;

    public void Stopping() => _notServing = Stopped;

    internal sealed record NotServing(string Title, string Detail);
}
