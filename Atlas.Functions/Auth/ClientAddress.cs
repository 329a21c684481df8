using System.Net;

namespace Atlas.Functions.Auth;

/// <summary>
/// The address a request came from. Behind the Functions host (and any front door) every request reaches the worker
/// from a proxy, which appends the address it saw to X-Forwarded-For. <c>Http:TrustedHops</c> says how many proxies
/// in front of the app append to it (the Functions host is one; a front door adds one more); the client is the entry
/// that many places from the right. Entries further left are whatever the client sent, so they are never believed.
/// </summary>
public sealed class ClientAddress(IConfiguration configuration)
{
    public const string TrustedHopsSetting = "Http:TrustedHops";

    private readonly int _hops = Math.Max(1, configuration.GetValue(TrustedHopsSetting, 1));

    public string Of(HttpRequest request)
    {
        // The worker's forwarded-headers step already took the rightmost entry as the remote address and left the
        // rest of the list in the header: the whole list, as the first proxy received it, is the two together.
        var forwarded = request.Headers["X-Forwarded-For"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (request.HttpContext.Connection.RemoteIpAddress is { } remote)
        {
            forwarded.Add(remote.ToString());
        }

        if (forwarded.Count == 0)
        {
            return "unknown";
        }

        var client = forwarded[Math.Max(0, forwarded.Count - _hops)];
        return IPAddress.TryParse(client, out var address) ? address.ToString()
            : IPEndPoint.TryParse(client, out var endpoint) ? endpoint.Address.ToString()
            : "unknown";
    }
}
