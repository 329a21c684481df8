namespace Atlas.LocalHost.Worker;

/// <summary>
/// Where a worker's start-up went, each measured from process launch: StartStream arrived, init answered,
/// functions indexed, functions loaded, and the worker's Kestrel accepting connections (ready).
/// </summary>
public sealed record WorkerStartTimings(TimeSpan Connected, TimeSpan Initialized, TimeSpan Indexed, TimeSpan Loaded, TimeSpan Ready)
{
    public override string ToString() =>
        $"stream {Ms(Connected)}, init +{Ms(Initialized - Connected)}, metadata +{Ms(Indexed - Initialized)}, " +
        $"load +{Ms(Loaded - Indexed)}, ready {Ms(Ready)} after launch";

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds:0} ms";
}
