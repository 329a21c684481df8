using Atlas.FakeStripe;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Payments;
using Atlas.Testing;
using Microsoft.DurableTask.Client;

namespace Atlas.Tests.Infrastructure;

/// <summary>
/// The whole app as Azure runs it: Atlas.Functions' worker under the local Functions host, HTTP over loopback, on the
/// test Azurite under its own prefix and its own Durable task hub, with a manual clock and a fake Stripe of its own.
/// Queue triggers, the relay scan and deadlines run when the test says (<see cref="PumpAsync"/>,
/// <see cref="DrainAsync"/>): a deadline flow waits for a wake event, raised once the test has moved the clock past it.
/// Development environment unless told.
/// </summary>
public sealed class AtlasAppFactory : IAsyncLifetime, IAsyncDisposable
{
    private readonly IDictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;
    private readonly StringWriter _log = new();

    // The host writes from many threads through this; reads take its lock too (a StringBuilder read mid-write throws).
    private readonly TextWriter _logWriter;
    private LocalApp? _app;
    private readonly bool _durableTimers;
    private DurableTaskClient? _durable;

    // xunit's class fixtures need exactly one public constructor; the other is for tests that vary the app.
    public AtlasAppFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="durableTimers">The app and its Stripe on the system clock, and deadlines on durable timers
    /// (<c>Lifecycles:Timers = Durable</c>), as in Azure: for the few tests of real timers, with short durations.</param>
    internal AtlasAppFactory(IDictionary<string, string?> settings, string environment = "Development", Action<IServiceCollection>? services = null, bool durableTimers = false)
    {
        _settings = settings;
        _environment = environment;
        _services = services;
        _durableTimers = durableTimers;
        _logWriter = TextWriter.Synchronized(_log);
        Stripe = FakeStripeServer.StartAsync(new FakeStripeOptions(), durableTimers ? TimeProvider.System : Clock).GetAwaiter().GetResult();
        Stripe.WebhookTarget = () => _app is { } app ? new Uri(app.BaseAddress, "api/webhooks/stripe").ToString() : null;
    }

    private static readonly TimeSpan DrainPatience = TimeSpan.FromSeconds(60);

    public string Prefix { get; } = Azurite.NewPrefix();

    public ManualClock Clock { get; } = new();

    /// <summary>The newest text to a phone, when texts do not go to the development recorder (a fake provider).</summary>
    public Func<string, string>? LatestTextTo { get; set; }

    /// <summary>This app's own Stripe: it answers the app's calls and posts its webhooks back to this app.</summary>
    public FakeStripeServer Stripe { get; }

    /// <summary>What the host printed: its own lines and the worker's, as <c>func start</c> shows them.</summary>
    public string HostLog
    {
        get
        {
            // TextWriter.Synchronized locks the writer itself.
            lock (_logWriter)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The worker's services (started on first use).</summary>
    public IServiceProvider Services => App.Services;

    public LocalApp App => _app ??= StartAsync().GetAwaiter().GetResult();

    /// <summary>The platform admin's session, kept by <see cref="Accounts.PlatformAdminAsync"/>.</summary>
    internal (SignedIn Session, DateTimeOffset At)? PlatformAdmin { get; set; }

    /// <summary>A client of the app whose every answer is checked against the app's OpenAPI document (<see cref="ContractCheck"/>).</summary>
    public HttpClient CreateClient() =>
        new(new ContractCheck(() => OpenApiContract.ForAsync(App.BaseAddress, _environment))) { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Runs every queue trigger once over its queue, through the host; returns messages taken.</summary>
    public async Task<int> PumpAsync()
    {
        await Triggers.RelaysQuietAsync(Services);
        var taken = await App.Host.PumpQueuesAsync();
        await Triggers.RelaysQuietAsync(Services);
        return taken;
    }

    /// <summary>A client of the host's Durable API, as a <c>[DurableClient]</c> binding gets.</summary>
    public DurableTaskClient Durable => _durable ??= App.Host.CreateDurableClient();

    /// <summary>Relays what a crash left in an outbox (the relay scan); returns how many outboxes.</summary>
    public async Task<int> RelayAsync()
    {
        await Triggers.RelaysQuietAsync(Services);
        return await Services.GetRequiredService<RelayScan>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>Fires the deadlines the clock has passed (<see cref="FollowedInstances"/>); returns how many. On durable
    /// timers there is nothing to do: their flows fire them.</summary>
    public async Task<int> FireDeadlinesAsync()
    {
        await Triggers.RelaysQuietAsync(Services);
        var fired = _durableTimers ? 0 : await FollowedInstances.FireDueAsync(Services, Clock.GetUtcNow());
        await Triggers.RelaysQuietAsync(Services);
        return fired;
    }

    /// <summary>How many flows are under way (making a Stripe call, or yet to hear news): one look.</summary>
    public async Task<int> SettleFlowsAsync()
    {
        await Triggers.RelaysQuietAsync(Services);
        return (await FollowedInstances.BehindAsync(Services, Durable)).Count;
    }

    /// <summary>Runs the relay scan, the queue triggers, the due deadlines and the flows until none finds work.</summary>
    public async Task DrainAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<(string FlowId, string Why)> behindFlows = [];
        while (waited.Elapsed < DrainPatience)
        {
            // A relay still under way may be about to start a flow the look below would miss.
            await Triggers.RelaysQuietAsync(Services);
            behindFlows = await FollowedInstances.BehindAsync(Services, Durable);
            var behind = behindFlows.Count;
            if (await RelayAsync() + await PumpAsync() + await FireDeadlinesAsync() + behind == 0)
            {
                return;
            }

            if (behind > 0)
            {
                // A flow is making a call or hearing news: give it an episode.
                await Task.Delay(20);
            }
        }

        throw new InvalidOperationException(
            $"The app did not go quiet in {DrainPatience}; flows behind: {string.Join(", ", behindFlows.Select(b => b.Why))}."
            + $"\nThe host's lines about them:\n{LinesAbout(behindFlows.Select(b => b.FlowId))}");
    }

    /// <summary>The host log's lines that name one of <paramref name="flowIds"/> or its booking, the last 60.</summary>
    private string LinesAbout(IEnumerable<string> flowIds)
    {
        var names = flowIds.SelectMany(id => new[] { id, id.Replace(BookingJourney.InstancePrefix, "bk_", StringComparison.Ordinal) }).ToList();
        var lines = HostLog.Split('\n').Where(line => names.Exists(name => line.Contains(name, StringComparison.Ordinal)));
        return string.Join('\n', lines.TakeLast(60));
    }

    /// <summary>Stops the host and its worker and starts them again over the same storage, task hub, Stripe and
    /// clock: a redeployment, or a host that went away between two steps.</summary>
    public async Task RestartHostAsync()
    {
        var port = App.BaseAddress.Port;
        await App.DisposeAsync();

        // On the same port: the callers' clients keep their address, as an app's keep its host name.
        _app = await StartAsync(port);

        // A client of the old host's Durable API (made before, or by work the stop cut short) is no use now.
        if (Interlocked.Exchange(ref _durable, null) is { } stale)
        {
            await stale.DisposeAsync();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ((IAsyncDisposable)this).DisposeAsync();

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        if (_durable is not null)
        {
            await _durable.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Stripe.DisposeAsync();
    }

    private Task<LocalApp> StartAsync(int httpPort = 0)
    {
        var settings = TestSettings.For(Prefix)
            .Append(new("Stripe:BaseUrl", Stripe.BaseUrl.ToString()))
            .Concat(_settings);
        return LocalApp.StartAsync(
            settings,
            _environment,
            services =>
            {
                services.AddSingleton(_durableTimers ? TimeProvider.System : Clock);
                _services?.Invoke(services);
            },
            log: _logWriter,
            httpPort: httpPort);
    }
}
