using System.Net.Sockets;

namespace Atlas.LocalHost.Worker;

/// <summary>
/// Waits until the worker's own Kestrel accepts connections. The worker names its HttpUri in WorkerInitResponse,
/// but its gRPC client starts before Kestrel does, so a request proxied right after loading can be refused.
/// (The real host papers over this by retrying the proxied request on connection errors.)
/// </summary>
internal static class WorkerHttpProbe
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static async Task WaitUntilListeningAsync(Uri httpUri, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(httpUri.Host, httpUri.Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
