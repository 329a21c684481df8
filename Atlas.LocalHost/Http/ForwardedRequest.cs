using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;

namespace Atlas.LocalHost.Http;

/// <summary>
/// The caller's request as the worker's Kestrel receives it: same method, path, query, headers and body,
/// plus the invocation id that pairs it with the InvocationRequest and the X-Forwarded-* headers
/// (the worker runs UseForwardedHeaders, so the function sees the caller's host, scheme and address).
/// </summary>
internal static class ForwardedRequest
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    // Connection-level headers describe one hop and are not forwarded (RFC 9110 7.6.1).
    internal static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    public static HttpRequestMessage Create(HttpContext context, Uri workerUri, string invocationId)
    {
        var request = context.Request;
        var message = new HttpRequestMessage(
            new HttpMethod(request.Method),
            new Uri(workerUri, UriHelper.BuildRelative(request.PathBase, request.Path, request.QueryString)))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHopHeaders.Contains(name) || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
        }

        return message;
    }
}
