using Atlas.Functions;
using Atlas.Functions.Hosting;
using Atlas.Functions.Lifecycles;
using Atlas.Testing.Sample;

namespace Atlas.Testing;

/// <summary>
/// One "process" of the app without a Functions host: the same services, on the test Azurite under a prefix of its
/// own, with a manual clock. Tests drive its triggers by hand (<see cref="Triggers"/>). Two of them over the same
/// prefix are two processes sharing storage; a new one over a crashed one's prefix is a restart.
/// </summary>
public sealed class TestRuntime : IAsyncDisposable
{
    private readonly IHost _host;

    private TestRuntime(IHost host, string prefix, ManualClock clock)
    {
        _host = host;
        Prefix = prefix;
        Clock = clock;
    }

    public string Prefix { get; }

    public ManualClock Clock { get; }

    public IServiceProvider Services => _host.Services;

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
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(prefix));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddAtlasServices(builder.Configuration, builder.Environment);
        builder.Services.Configure<QueueOptions>(builder.Configuration.GetSection(QueueOptions.Section));
        builder.Services.AddSingleton<QueuePump>();
        builder.Services.AddSingleton<ManualFlows>();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSampleJobs(deliveries);
        configure?.Invoke(builder.Services);
        var host = builder.Build();

        // Only the app's own start-up work.
        await host.Services.GetServices<IHostedService>().OfType<StorageInitializer>().Single().StartingAsync(CancellationToken.None);
        foreach (var service in host.Services.GetServices<IHostedService>().OfType<SampleJobs.ReceiptsTable>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new TestRuntime(host, prefix, clock);
    }

    public Task<int> ScanAsync() => Triggers.ScanAsync(Services);

    public Task<int> FireDeadlinesAsync() => Triggers.FireDeadlinesAsync(Services);

    public Task<int> PumpAsync() => Triggers.PumpAsync(Services);

    public Task DrainAsync() => Triggers.DrainAsync(Services);

    /// <summary>Until the relays commands began after answering have ended.</summary>
    public Task RelaysQuietAsync() => Triggers.RelaysQuietAsync(Services);

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
