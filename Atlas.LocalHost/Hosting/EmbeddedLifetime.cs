using Microsoft.Extensions.Hosting;

namespace Atlas.LocalHost.Hosting;

/// <summary>
/// Lifetime for the Kestrel apps the host embeds. The default ConsoleLifetime would swallow Ctrl+C and SIGTERM
/// and only flag its own app as stopping, leaving the process running: the owner of the process decides instead.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
