using Atlas.Functions.Hosting;
using Atlas.Functions.Lifecycles;
using Atlas.Testing.Sample;

namespace Atlas.Testing;

/// <summary>
/// One "process" of the app without its HTTP server: the same services, on the test Azurite under a prefix of
/// its own, with a manual clock. Tests drive its triggers by hand. Two of them over the same prefix are two
/// processes sharing storage; a new one over a crashed one's prefix is a restart.
/// </summary>
public sealed class TestRuntime : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestRuntime(WebApplication app, string prefix, ManualClock clock)
    {
        _app = app;
        Prefix = prefix;
        Clock = clock;
    }

    public string Prefix { get; }

    public ManualClock Clock { get; }

    public IServiceProvider Services => _app.Services;

    public Lifecycle<JobState, JobCommand> Jobs => Services.GetRequiredService<Lifecycle<JobState, JobCommand>>();

    public DeliveryLog Deliveries => Services.GetRequiredService<DeliveryLog>();

    public Announcer Announcer => Services.GetRequiredService<Announcer>();

    public static async Task<TestRuntime> StartAsync(
        string? prefix = null,
        ManualClock? clock = null,
        Action<IServiceCollection>? configure = null,
        IDictionary<string, string?>? settings = null,
        DeliveryLog? deliveries = null)
    {
        prefix ??= Azurite.NewPrefix();
        clock ??= new ManualClock();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(prefix));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddAtlas();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSampleJobs(deliveries);
        configure?.Invoke(builder.Services);
        var app = builder.Build();

        // Start only the app's own start-up work, not the web server.
        foreach (var service in app.Services.GetServices<IHostedService>().Where(s => s is StorageInitializer or SampleJobs.ReceiptsTable))
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new TestRuntime(app, prefix, clock);
    }

    public Task<int> ScanAsync() => Triggers.ScanAsync(Services);

    public Task<int> PumpAsync() => Triggers.PumpAsync(Services);

    public Task DrainAsync() => Triggers.DrainAsync(Services);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
