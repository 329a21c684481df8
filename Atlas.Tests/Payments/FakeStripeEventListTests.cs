using Atlas.FakeStripe;
using Atlas.Functions.Stripe;
using Atlas.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stripe;

namespace Atlas.Tests.Payments;

/// <summary>The fake Stripe lists its events as Stripe does (GET /v1/events), read with Stripe.net's own EventService:
/// newest first, pages by limit after starting_after or before ending_before with has_more, filtered by created, type
/// (with a wildcard) or types, and only the last 30 days'.</summary>
public sealed class FakeStripeEventListTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private FakeStripeServer _fake = null!;
    private StripeApi _api = null!;
    private StripeClient _sdk = null!;

    // Made 10 s apart: transfer A created, transfer B created, A partly reversed, transfer C created.
    private readonly List<string> _made = [];
    private DateTimeOffset _start;

    public async Task InitializeAsync()
    {
        _fake = await FakeStripeServer.StartAsync(new FakeStripeOptions(), _clock);
        _api = new StripeApi(
            new HttpClient(),
            Options.Create(new StripeOptions { BaseUrl = _fake.BaseUrl, SecretKey = TestSettings.StripeKey, RetryDelay = TimeSpan.FromMilliseconds(1) }),
            NullLogger<StripeApi>.Instance);
        _sdk = new StripeClient(new StripeClientOptions { ApiKey = TestSettings.StripeKey, ApiBase = _fake.BaseUrl.ToString().TrimEnd('/') });
        _start = _clock.GetUtcNow();
        var a = (await _api.TransferAsync(Transfer("acct_a", 500), "a", default)).Value!.Id;
        _clock.Advance(TimeSpan.FromSeconds(10));
        await _api.TransferAsync(Transfer("acct_b", 600), "b", default);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await _api.ReverseTransferAsync(a, 100, "a-back", default);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await _api.TransferAsync(Transfer("acct_c", 700), "c", default);
        _made.AddRange(_fake.State.Events.Select(e => (string)e["id"]!));
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private string E(int i) => _made[i - 1];

    [Fact]
    public async Task Pages_go_newest_first_after_starting_after_and_before_ending_before_saying_whether_there_is_more()
    {
        var first = await _sdk.V1.Events.ListAsync(new EventListOptions { Limit = 2 });
        var second = await _sdk.V1.Events.ListAsync(new EventListOptions { Limit = 2, StartingAfter = first.Data[^1].Id });
        var newer = await _sdk.V1.Events.ListAsync(new EventListOptions { Limit = 1, EndingBefore = E(2) });
        var all = await _sdk.V1.Events.ListAsync();

        Assert.Equal([E(4), E(3)], Ids(first));
        Assert.True(first.HasMore);
        Assert.Equal([E(2), E(1)], Ids(second));
        Assert.False(second.HasMore);
        Assert.Equal([E(3)], Ids(newer));
        Assert.True(newer.HasMore);
        Assert.Equal([E(4), E(3), E(2), E(1)], Ids(all));
        Assert.Equal("/v1/events", all.Url);
    }

    [Fact]
    public async Task Created_type_and_types_filter_the_list()
    {
        var since = await _sdk.V1.Events.ListAsync(new EventListOptions { Created = new DateRangeOptions { GreaterThanOrEqual = (_start + TimeSpan.FromSeconds(10)).UtcDateTime } });
        var type = await _sdk.V1.Events.ListAsync(new EventListOptions { Type = "transfer.created" });
        var wildcard = await _sdk.V1.Events.ListAsync(new EventListOptions { Type = "transfer.*" });
        var types = await _sdk.V1.Events.ListAsync(new EventListOptions { Types = ["transfer.reversed", "charge.dispute.created"] });

        Assert.Equal([E(4), E(3), E(2)], Ids(since));
        Assert.Equal([E(4), E(2), E(1)], Ids(type));
        Assert.Equal(4, wildcard.Data.Count);
        Assert.Equal([E(3)], Ids(types));
    }

    [Fact]
    public async Task Atlas_pages_its_types_since_a_time_with_starting_after()
    {
        var from = _start + TimeSpan.FromSeconds(10);

        var first = (await _api.ListEventsAsync(from, ["transfer.created"], null, 1, default)).Value!;
        var second = (await _api.ListEventsAsync(from, ["transfer.created"], first.Data[0].Id, 1, default)).Value!;
        var tooMany = await _api.ListEventsAsync(from, ["transfer.created"], null, 101, default);

        Assert.Equal([E(4)], Ids(first));
        Assert.True(first.HasMore);
        Assert.Equal([E(2)], Ids(second));
        Assert.False(second.HasMore);
        Assert.Equal((400, "limit"), (tooMany.Error!.Status, tooMany.Error.Param));
        Assert.Contains(_fake.Requests, r => r.Path == "/v1/events" && r.Query.Contains("types[0]=transfer.created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_older_than_thirty_days_are_no_longer_listed()
    {
        _clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(15));

        var listed = await _sdk.V1.Events.ListAsync();

        Assert.Equal([E(4), E(3)], Ids(listed));
    }

    private static TransferRequest Transfer(string destination, long amount) =>
        new(amount, "gbp", destination, "bk_list", new Dictionary<string, string>());

    private static List<string> Ids(StripeList<Event> list) => [.. list.Data.Select(e => e.Id)];
}
