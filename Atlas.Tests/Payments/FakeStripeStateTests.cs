using System.Text.RegularExpressions;
using Atlas.FakeStripe;
using Atlas.Functions.Common;
using Atlas.Functions.Stripe;
using Atlas.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Payments;

/// <summary>The fake Stripe that `./atlas run` starts keeps what it made across restarts (Atlas's data in Azurite
/// still names it), and names things as Stripe does, so no id is ever given out twice.</summary>
public sealed partial class FakeStripeStateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "atlas-fake-stripe-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_restarted_fake_with_a_data_folder_still_has_the_customers_cards_and_replays_it_made()
    {
        string customer, card, intent;
        await using (var before = await FakeStripeServer.StartAsync(new FakeStripeOptions(DataFolder: _folder)))
        {
            var stripe = Client(before);
            customer = (await stripe.CreateCustomerAsync("usr_1", "customer-usr_1", default)).Value!.Id;
            card = (await stripe.AttachPaymentMethodAsync("pm_card_visa", customer, "attach-1", default)).Value!.Id;
            intent = (await stripe.CreateIntentAsync(Request(customer, card), manualCapture: true, "hold-1", default)).Value!.Id;
        }

        await using var after = await FakeStripeServer.StartAsync(new FakeStripeOptions(DataFolder: _folder));
        var again = Client(after);
        var replayed = await again.CreateIntentAsync(Request(customer, card), manualCapture: true, "hold-1", default);
        var another = await again.CreateIntentAsync(Request(customer, card), manualCapture: true, "hold-2", default);
        var sameCustomer = await again.CreateCustomerAsync("usr_1", "customer-usr_1", default);

        Assert.Equal(intent, replayed.Value!.Id);
        Assert.Equal("requires_capture", another.Value!.Status);
        Assert.NotEqual(intent, another.Value.Id);
        Assert.Equal(customer, sameCustomer.Value!.Id);
        Assert.Equal("requires_capture", (await again.GetIntentAsync(intent, default)).Value!.Status);
    }

    [Fact]
    public async Task Ids_are_shaped_like_stripes_and_never_repeat_across_fakes()
    {
        await using var one = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        await using var two = await FakeStripeServer.StartAsync(new FakeStripeOptions());

        var first = (await Client(one).CreateCustomerAsync("usr_1", "c-1", default)).Value!.Id;
        var second = (await Client(two).CreateCustomerAsync("usr_2", "c-1", default)).Value!.Id;

        Assert.Matches(StripeId(), first);
        Assert.Matches(StripeId(), second);
        Assert.NotEqual(first, second);
    }

    private static StripeApi Client(FakeStripeServer server) => new(
        new HttpClient(),
        Options.Create(new StripeOptions { BaseUrl = server.BaseUrl, SecretKey = TestSettings.StripeKey, RetryDelay = TimeSpan.FromMilliseconds(1) }),
        new RandomSource(),
        NullLogger<StripeApi>.Instance);

    private static IntentRequest Request(string customer, string card) =>
        new(1_000, "GBP", customer, card, "bk_1", new Dictionary<string, string> { ["ride_id"] = "rd_1" });

    [GeneratedRegex("^cus_[A-Za-z0-9]{24}$")]
    private static partial Regex StripeId();
}
