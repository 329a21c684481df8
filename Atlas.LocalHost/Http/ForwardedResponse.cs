using Microsoft.AspNetCore.Http;

namespace Atlas.LocalHost.Http;

/// <summary>Copies the worker's status line and headers onto the caller's response.</summary>
internal static class ForwardedResponse
{
    public static void CopyHead(HttpResponseMessage source, HttpResponse target)
    {
        target.StatusCode = (int)source.StatusCode;
        foreach (var (name, values) in source.Headers.Concat(source.Content.Headers))
        {
            if (!ForwardedRequest.HopByHopHeaders.Contains(name))
            {
                target.Headers[name] = values.ToArray();
            }
        }
    }
}
