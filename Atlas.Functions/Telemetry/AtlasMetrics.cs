using System.Diagnostics.Metrics;

namespace Atlas.Functions.Telemetry;

/// <summary>
/// The runtime's metrics: orchestrations failed or stuck, messages given up on, how late deadlines fire. A feature's
/// business metrics are its own (<c>SignInMetrics</c>, <c>BookingMetrics</c> …), on the same meter; those counted from a
/// lifecycle's committed changes are registered with <c>services.AddStateMetrics</c>. Tags are outcomes and names,
/// never an id, a phone, a code or an amount's owner.
/// </summary>
public sealed class AtlasMetrics
{
    private readonly Gauge<long> _flowsFailed;
    private readonly Gauge<long> _flowsStuck;
    private readonly Counter<long> _poisoned;
    private readonly Histogram<double> _deadlineLag;

    public AtlasMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AtlasTelemetry.Name);
        _flowsFailed = meter.CreateGauge<long>(
            "atlas.flows.failed", "{orchestration}", "Orchestrations that ended Failed in the last hour, by orchestrator, as the flow watch last counted.");
        _flowsStuck = meter.CreateGauge<long>(
            "atlas.flows.stuck", "{orchestration}", "Orchestrations running or pending past Flows:StuckAfter without getting anywhere, by orchestrator.");
        _poisoned = meter.CreateCounter<long>("atlas.poisoned", "{message}", "Messages given up on and moved to a poison queue, by the function that gave up.");
        _deadlineLag = meter.CreateHistogram<double>("atlas.deadline.lag", "s", "How late a deadline's timeout reached its lifecycle.");
    }

    /// <summary>What the flow watch counted for one orchestrator (zero included, so a cleared count reads as cleared).</summary>
    public void Flows(string orchestrator, long failed, long stuck)
    {
        var flow = new KeyValuePair<string, object?>("flow", orchestrator);
        _flowsFailed.Record(failed, flow);
        _flowsStuck.Record(stuck, flow);
    }

    public void Poisoned(string function) => _poisoned.Add(1, new KeyValuePair<string, object?>("function", function));

    public void DeadlineLag(string lifecycle, TimeSpan lag) =>
        _deadlineLag.Record(lag.TotalSeconds, new KeyValuePair<string, object?>("lifecycle", lifecycle));
}
