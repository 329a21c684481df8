using System.Diagnostics.Metrics;
using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Payments;

/// <summary>Escrow payments reaching a state, counted from the escrow's committed changes.</summary>
public sealed class EscrowMetrics : IStateMetrics<Escrow, EscrowCommand>
{
    private readonly Counter<long> _escrow;

    public EscrowMetrics(IMeterFactory meters) =>
        _escrow = meters.Create(AtlasTelemetry.Name).CreateCounter<long>(
            "atlas.escrow", "{payment}", "Escrow payments reaching a state: authorised, captured, released, declined.");

    public void Changed(Escrow before, Escrow after, EscrowCommand command)
    {
        if (after.Status is EscrowStatus.Authorised or EscrowStatus.Captured or EscrowStatus.Released or EscrowStatus.Declined
            && before.Status != after.Status)
        {
            _escrow.Add(1, new KeyValuePair<string, object?>("outcome", after.Status.ToString().ToLowerInvariant()));
        }
    }
}
