using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Atlas.LocalHost.Http;

/// <summary>RFC 9457 problem+json answers for what goes wrong in the host rather than in the function's own response.</summary>
internal static class ProblemResponse
{
    public static Task WriteAsync(HttpContext context, int status, string title, string? detail, string? invocationId = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Instance = context.Request.Path,
        };

        if (invocationId is not null)
        {
            problem.Extensions["invocationId"] = invocationId;
        }

        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
    }
}
