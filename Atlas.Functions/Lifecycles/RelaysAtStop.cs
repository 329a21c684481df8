namespace Atlas.Functions.Lifecycles;

/// <summary>
/// A worker that stops lets the relays that commands began after answering end first, and deletes the outbox rows they
/// relayed, for as long as the host gives it; what it does not end is sent later by the relay scan, from the commit's
/// relay row.
/// </summary>
public sealed class RelaysAtStop(OutboxRelay relay, RelayedOutboxes relayed) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await relay.QuietAsync(cancellationToken);
            await relayed.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's patience ended: the relay scan has the rest.
        }
    }
}
