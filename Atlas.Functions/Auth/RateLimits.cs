using System.Threading.RateLimiting;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Auth;

/// <summary>
/// Worker middleware for the functions that declare a <see cref="RateLimitAttribute"/>: fixed windows in this process,
/// sign-in per client address (<see cref="ClientAddress"/>), location reports per signed-in user. Over the limit → 429
/// problem+json with Retry-After. Settings: <c>RateLimits:{policy}:PermitLimit</c> and <c>…:Window</c>.
/// </summary>
public sealed class RateLimits : IFunctionsWorkerMiddleware, IDisposable
{
    public const string SignIn = "sign-in";
    public const string Location = "location";
    public const string Section = "RateLimits";

    private readonly FunctionIndex _functions;
    private readonly ClientAddress _clients;
    private readonly Dictionary<string, PartitionedRateLimiter<string>> _limiters;

    public RateLimits(FunctionIndex functions, ClientAddress clients, IConfiguration configuration)
    {
        _functions = functions;
        _clients = clients;
        _limiters = new()
        {
            [SignIn] = Limiter(configuration, SignIn, permits: 30),
            [Location] = Limiter(configuration, Location, permits: 12),
        };
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (_functions.FindHttp(context.FunctionDefinition.Name) is not { RateLimit: { } policy } || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        var partition = policy == Location ? AccessControl.CallerOf(context)?.UserId ?? "anonymous" : _clients.Of(http.Request);
        using var lease = _limiters[policy].AttemptAcquire(partition);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            context.Answer(Problems.TooManyRequests(new Atlas.Core.Common.Rejection("rate-limited", $"Slow down: try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s."), retryAfter));
            return;
        }

        await next(context);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static PartitionedRateLimiter<string> Limiter(IConfiguration configuration, string policy, int permits)
    {
        var section = configuration.GetSection(Section).GetSection(policy);
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = section.GetValue("PermitLimit", permits),
            Window = section.GetValue("Window", TimeSpan.FromMinutes(1)),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => window));
    }
}
