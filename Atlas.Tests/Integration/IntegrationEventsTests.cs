using System.Text.Json;
using Atlas.Functions.Integration;
using Atlas.Functions.Queues;
using Atlas.Tests.Infrastructure;
using Moq;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Integration;

/// <summary>Business events end to end on the local transport (the storage queue a developer watches): a ride's events
/// come out of the commits that made them, once per effect, with ids and amounts and nothing personal.</summary>
public sealed class IntegrationEventsTests
{
    [Fact]
    public async Task A_paid_ride_publishes_its_business_events_each_once_in_its_drivers_company()
    {
        await using var app = new AtlasAppFactory();
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        await PayoutAccountAsync(company.Driver, "acct_events1");
        await SettleAsync(app);
        await app.DrainAsync();

        var events = await PublishedAsync(app);

        var ours = events.Where(e => (e.TryGetProperty("bookingId", out var b) && b.GetString() == bookingId) || e.GetProperty("type").GetString() == "payout.paid").ToList();
        Assert.Equal(
            ["booking.created", "payment.captured", "payout.paid", "ride.assigned", "ride.completed"],
            ours.Select(e => e.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(ours.Count, ours.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        var price = (await PaymentAsync(rider, rideId)).GetProperty("captured").GetInt64();
        var completed = ours.Single(e => e.GetProperty("type").GetString() == "ride.completed");
        Assert.Equal((company.Id, rideId, company.Driver.MemberId, price, "GBP", 1), (
            completed.GetProperty("companyId").GetString(),
            completed.GetProperty("rideId").GetString(),
            completed.GetProperty("driverId").GetString(),
            completed.GetProperty("amount").GetInt64(),
            completed.GetProperty("currency").GetString(),
            completed.GetProperty("version").GetInt32()));
        Assert.All(ours, e => Assert.DoesNotContain("+447", e.GetRawText(), StringComparison.Ordinal));
        Assert.All(ours, e => Assert.DoesNotContain(rider.UserId, e.GetRawText(), StringComparison.Ordinal));
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public void With_nothing_configured_business_events_go_to_the_local_queue_and_with_a_namespace_to_service_bus()
    {
        var local = Transport(new Dictionary<string, string?>());
        var namespaced = Transport(new Dictionary<string, string?> { ["ServiceBus:FullyQualifiedNamespace"] = "atlas-test.servicebus.windows.net" });
        var connected = Transport(new Dictionary<string, string?>
        {
            ["ServiceBus:ConnectionString"] = "Endpoint=sb://atlas-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + Convert.ToBase64String(new byte[32]),
        });

        Assert.IsType<QueueIntegrationEvents>(local);
        Assert.IsType<ServiceBusIntegrationEvents>(namespaced);
        Assert.IsType<ServiceBusIntegrationEvents>(connected);
    }

    [Fact]
    public void The_topic_is_atlas_events_unless_configured()
    {
        var sender = Services(new Dictionary<string, string?> { ["ServiceBus:FullyQualifiedNamespace"] = "atlas-test.servicebus.windows.net", ["ServiceBus:Topic"] = "marketplace" })
            .GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusSender>();

        Assert.Equal("marketplace", sender.EntityPath);
        Assert.Equal("atlas-events", new ServiceBusOptions().Topic);
    }

    private static IIntegrationEvents Transport(Dictionary<string, string?> settings) => Services(settings).GetRequiredService<IIntegrationEvents>();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new Mock<IQueueClient>().Object);
        services.AddIntegrationEvents(configuration);
        return services.BuildServiceProvider();
    }

    private static async Task<List<JsonElement>> PublishedAsync(AtlasAppFactory app)
    {
        var queues = app.Services.GetRequiredService<IQueueClient>();
        var all = new List<JsonElement>();
        while (await queues.ReceiveAsync(QueueIntegrationEvents.Queue, 32, TimeSpan.FromMinutes(5), default) is { Count: > 0 } page)
        {
            all.AddRange(page.Select(m => JsonDocument.Parse(m.Text).RootElement.Clone()));
        }

        return all;
    }
}
