using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atlas.Testing.Fakes;

/// <summary>A request a fake provider received: what tests look at.</summary>
public sealed record FakeRequest(string Method, string Path, string? Authorization, string Body);

/// <summary>
/// A provider's HTTP API on loopback (Twilio, FCM, SendGrid), so the app's real client code runs against it: every
/// request is kept, and the next requests to a path can be answered with an error instead.
/// </summary>
public abstract class LoopbackFake : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly ConcurrentQueue<(string Path, Func<HttpContext, Task> Answer)> _faults = new();
    private WebApplication? _app;

    public Uri BaseUrl => new(_app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    protected async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            _requests.Enqueue(new FakeRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), body));
            if (TakeFault(context.Request.Path) is { } fault)
            {
                await fault(context);
                return;
            }

            await next(context);
        });
        Map(_app);
        await _app.StartAsync();
    }

    /// <summary>The next <paramref name="count"/> requests whose path contains <paramref name="path"/> get this answer.</summary>
    public void Fail(string path, Func<HttpContext, Task> answer, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue((path, answer));
        }
    }

    protected abstract void Map(WebApplication app);

    private Func<HttpContext, Task>? TakeFault(string path)
    {
        // Faults are few and taken in order; one for another path goes back to the end.
        for (var i = _faults.Count; i > 0 && _faults.TryDequeue(out var fault); i--)
        {
            if (path.Contains(fault.Path, StringComparison.Ordinal))
            {
                return fault.Answer;
            }

            _faults.Enqueue(fault);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
