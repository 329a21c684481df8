using System.Text.RegularExpressions;
using Atlas.FakeStripe;
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

    /// <summary>As Stripe: a request whose key another request is still using is refused 409 idempotency_key_in_use,
    /// so two processes carrying out the same step (one of them a worker that was thought dead) pay once.</summary>
    [Fact]
    public async Task A_request_whose_key_is_still_in_use_is_refused_and_once_done_is_replayed()
    {
        await using var fake = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        using var http = new HttpClient { BaseAddress = fake.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", fake.Options.ApiKey);
        fake.Inject(status: 0, path: "/v1/transfers", delay: TimeSpan.FromSeconds(1), slow: true);

        var first = TransferAsync(http);
        while (!fake.Requests.Any(r => r.Path == "/v1/transfers"))
        {
            await Task.Delay(10);
        }

        var racing = await TransferAsync(http);
        var done = await first;
        var after = await TransferAsync(http);

        Assert.Equal(409, racing.Status);
        Assert.Contains("idempotency_key_in_use", racing.Body, StringComparison.Ordinal);
        Assert.Equal((200, 200), (done.Status, after.Status));
        Assert.Equal(Id(done.Body), Id(after.Body));
        Assert.Single(fake.State.Events, e => (string?)e["type"] == "transfer.created");

        static string? Id(string body) => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
    }

    private static async Task<(int Status, string Body)> TransferAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/transfers")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["amount"] = "500", ["currency"] = "gbp", ["destination"] = "acct_race1" }),
        };
        request.Headers.Add("Idempotency-Key", "payout-race");
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
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

    /// <summary>As Stripe: a deleted customer reads back as a stub that says so, its cards cannot be charged, and a
    /// second delete finds nothing (404 resource_missing, which Atlas's erasure takes as done).</summary>
    [Fact]
    public async Task A_deleted_customer_reads_back_deleted_cannot_be_charged_and_cannot_be_deleted_twice()
    {
        await using var fake = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        var stripe = Client(fake);
        var customer = (await stripe.CreateCustomerAsync("usr_1", "customer-usr_1", default)).Value!.Id;
        var card = (await stripe.AttachPaymentMethodAsync("pm_card_visa", customer, "attach-1", default)).Value!.Id;

        var deleted = await stripe.DeleteCustomerAsync(customer, default);
        var again = await stripe.DeleteCustomerAsync(customer, default);
        var charge = await stripe.CreateIntentAsync(Request(customer, card), manualCapture: true, "hold-1", default);

        Assert.True(deleted.Value!.Deleted);
        Assert.True((bool?)fake.State.Find(customer)!["deleted"]);
        Assert.Equal((404, "resource_missing"), (again.Error!.Status, again.Error.Code));
        Assert.Equal(404, charge.Error!.Status);
        Assert.Single(fake.State.Events, e => (string?)e["type"] == "customer.deleted");
    }

    private static StripeApi Client(FakeStripeServer server) => new(
        new HttpClient(),
        Options.Create(new StripeOptions { BaseUrl = server.BaseUrl, SecretKey = TestSettings.StripeKey, RetryDelay = TimeSpan.FromMilliseconds(1) }),
        NullLogger<StripeApi>.Instance);

    private static IntentRequest Request(string customer, string card) =>
        new(1_000, "GBP", customer, card, "bk_1", new Dictionary<string, string> { ["ride_id"] = "rd_1" });

    [GeneratedRegex("^cus_[A-Za-z0-9]{24}$")]
    private static partial Regex StripeId();
}
