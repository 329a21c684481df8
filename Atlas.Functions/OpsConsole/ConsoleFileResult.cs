namespace Atlas.Functions.OpsConsole;

/// <summary>
/// One console file with the headers that make the page safe by construction: a Content-Security-Policy that runs
/// only the app's own script and style files (nothing inline, nothing from elsewhere, no framing), no sniffing, no
/// referrer. Files are revalidated by ETag on every load, so a deployment is seen at once.
/// </summary>
public sealed class ConsoleFileResult(ConsoleFile file) : IResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = file.ETag;
        if (httpContext.Request.Headers.IfNoneMatch.ToString() == file.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = file.ContentType;
        response.ContentLength = file.Content.Length;
        await response.Body.WriteAsync(file.Content, httpContext.RequestAborted);
    }
}
