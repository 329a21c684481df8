using System.Diagnostics;

namespace Atlas.Functions.Telemetry;

/// <summary>
/// Every call to Stripe as a dependency span: method, the path (Stripe's ids only, never a card), the status and
/// Stripe's <c>Request-Id</c>, which Stripe's support and dashboard find a request by. Each retry is its own span.
/// </summary>
public sealed class StripeDependencies : DelegatingHandler
{
    /// <summary>For an HTTP client factory, which sets the inner handler.</summary>
    public StripeDependencies()
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        using var span = AtlasTelemetry.Source.StartActivity($"Stripe {request.Method} {path}", ActivityKind.Client);
        span?.SetTag("server.address", request.RequestUri?.Host);
        span?.SetTag("http.request.method", request.Method.Method);
        span?.SetTag("url.path", path);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (response.Headers.TryGetValues("Request-Id", out var ids))
            {
                span?.SetTag("stripe.request_id", ids.FirstOrDefault());
            }

            if ((int)response.StatusCode >= 400)
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }

            return response;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}
