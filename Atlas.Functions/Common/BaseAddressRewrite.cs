namespace Atlas.Functions.Common;

/// <summary>Sends a client library's requests, which name the provider's own host, to another base address (a local
/// fake speaking the provider's API): scheme, host and port change, the path and query stay.</summary>
public sealed class BaseAddressRewrite(Uri baseAddress, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = baseAddress.Scheme, Host = baseAddress.Host, Port = baseAddress.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
