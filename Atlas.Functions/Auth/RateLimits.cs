using System.Globalization;
using System.Threading.RateLimiting;

namespace Atlas.Functions.Auth;

/// <summary>
/// Request rate limits (ASP.NET Core's limiter, fixed windows, in this process): sign-in routes per client IP,
/// location updates per signed-in user. Over the limit → 429 problem+json with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Location = "location";
    public const string Section = "RateLimits";

    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signIn = Window(configuration, SignIn, permits: 30);
        var location = Window(configuration, Location, permits: 12);
        return services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignIn, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => signIn));
            o.AddPolicy(Location, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Features.Get<Caller>()?.UserId ?? "anonymous", _ => location));
            o.OnRejected = async (rejected, ct) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests.",
                    detail: $"Slow down: try again in {seconds} s.",
                    type: "https://atlas.dev/problems/rate-limited",
                    extensions: new Dictionary<string, object?> { ["code"] = "rate-limited", ["retryAfter"] = seconds })
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    /// <summary>RateLimits:{policy}:PermitLimit requests per RateLimits:{policy}:Window.</summary>
    private static FixedWindowRateLimiterOptions Window(IConfiguration configuration, string policy, int permits)
    {
        var section = configuration.GetSection(Section).GetSection(policy);
        return new FixedWindowRateLimiterOptions
        {
            PermitLimit = section.GetValue("PermitLimit", permits),
            Window = section.GetValue("Window", TimeSpan.FromMinutes(1)),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
