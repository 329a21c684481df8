using Atlas.FakeStripe;
using Atlas.Functions.Hosting;
using Atlas.Testing;
using Atlas.Testing.Sample;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Atlas.Tests.Infrastructure;

/// <summary>The whole app in-process, served by Kestrel on a loopback port (real HTTP), on the test Azurite under
/// its own prefix, with a manual clock and the sample lifecycle's routes. Development environment unless told.</summary>
public sealed class AtlasAppFactory : WebApplicationFactory<Program>
{
    private readonly HostingMode _mode;
    private readonly IDictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    // xunit's class fixtures need exactly one public constructor; the others are for tests that vary the app.
    public AtlasAppFactory()
        : this(HostingMode.Standalone, new Dictionary<string, string?>())
    {
    }

    internal AtlasAppFactory(IDictionary<string, string?> settings, string environment = "Development", Action<IServiceCollection>? services = null)
        : this(HostingMode.Standalone, settings, environment, services)
    {
    }

    internal AtlasAppFactory(
        HostingMode mode, IDictionary<string, string?> settings, string environment = "Development", Action<IServiceCollection>? services = null)
    {
        _mode = mode;
        _settings = settings;
        _environment = environment;
        _services = services;
        UseKestrel(0);
        Stripe = FakeStripeServer.StartAsync(new FakeStripeOptions(), Clock).GetAwaiter().GetResult();
        Stripe.WebhookTarget = () => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/api/webhooks/stripe";
    }

    public string Prefix { get; } = Azurite.NewPrefix();

    public ManualClock Clock { get; } = new();

    /// <summary>This app's own Stripe: it answers the app's calls and posts its webhooks back to this app.</summary>
    public FakeStripeServer Stripe { get; }

    /// <summary>The platform admin's session, kept by <see cref="Accounts.PlatformAdminAsync"/>.</summary>
    internal (SignedIn Session, DateTimeOffset At)? PlatformAdmin { get; set; }

    public Task<int> PumpAsync() => Triggers.PumpAsync(Services);

    public Task DrainAsync() => Triggers.DrainAsync(Services);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in TestSettings.For(Prefix, _mode).Append(new("Stripe:BaseUrl", Stripe.BaseUrl.ToString())).Concat(_settings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSampleJobs();
            _services?.Invoke(services);
        });
    }
}
