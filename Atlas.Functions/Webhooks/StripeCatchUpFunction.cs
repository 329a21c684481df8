using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Webhooks;

/// <summary>The catch-up of Stripe events no webhook brought (<see cref="StripeCatchUp"/>), on <c>Stripe:CatchUpSchedule</c>.</summary>
public static class StripeCatchUpFunction
{
    public const string Name = "StripeCatchUp";

    [Function(Name)]
    public static Task RunAsync([TimerTrigger("%Stripe:CatchUpSchedule%")] TimerInfo timer, StripeCatchUp catchUp, CancellationToken ct) =>
        catchUp.RunAsync(ct);
}
