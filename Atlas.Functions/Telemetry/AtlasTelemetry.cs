using System.Diagnostics;

namespace Atlas.Functions.Telemetry;

/// <summary>
/// Atlas's spans. Work that a queue or an orchestration carries on (an effect, a deadline, a Stripe step) records
/// the trace of the command that asked for it (<see cref="Current"/>, kept with the effect) and continues it
/// (<see cref="Continue"/>), so one trace runs from the request that booked to the notices and payments it led to.
/// </summary>
public static class AtlasTelemetry
{
    /// <summary>The name of Atlas's ActivitySource and Meter.</summary>
    public const string Name = "Atlas";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The W3C traceparent of the span under way, kept with work that will run elsewhere.</summary>
    public static string? Current => Activity.Current?.Id;

    /// <summary>A span for work asked for by <paramref name="traceParent"/>; the function invocation it runs in is
    /// linked, so either way leads to the other.</summary>
    public static Activity? Continue(string name, string? traceParent, ActivityKind kind = ActivityKind.Consumer)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var invocation = Activity.Current;
        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, out var parent))
        {
            return Source.StartActivity(name, kind);
        }

        ActivityLink[]? links = invocation is null ? null : [new ActivityLink(invocation.Context)];
        return Source.StartActivity(name, kind, parent, links: links);
    }
}
