using System.Text.Json;
using Atlas.Core.Common;
using Atlas.Functions.Lifecycles;
using Atlas.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Atlas.Tests.Lifecycles;

/// <summary>The relay's own try at a direct route's effect: done there, or the effect takes its queue (its retry), and a
/// kind that failed takes its queue for a rest.</summary>
public sealed class DirectEffectsTests
{
    private readonly ManualClock _clock = new();
    private readonly List<EffectContext> _runs = [];
    private Func<object?> _answer = () => null;

    private sealed record Ping : Effect;

    private sealed record Pong;

    private DirectEffects Relay(bool direct = true)
    {
        var routes = new EffectRoutes([new EffectRoute(typeof(Ping), "test.ping", "pings", Handle, direct)]);
        return new DirectEffects(routes, Mock.Of<IServiceProvider>(), _clock, NullLogger<DirectEffects>.Instance);
    }

    private Task<object?> Handle(IServiceProvider services, JsonElement payload, EffectContext context, CancellationToken ct)
    {
        _runs.Add(context);
        return Task.FromResult(_answer());
    }

    private static EffectEnvelope Envelope(string effectId) =>
        new(effectId, "test.ping", "job", "a", JsonSerializer.SerializeToElement(new Ping(), LifecycleJson.Options));

    [Fact]
    public async Task A_direct_effect_is_carried_out_by_the_relay_once_as_its_first_try()
    {
        var relay = Relay();

        Assert.True(await relay.TryAsync(Envelope("e1"), default));

        Assert.Equal([new EffectContext("e1", "job", "a", 1)], _runs);
    }

    [Fact]
    public async Task An_effect_whose_route_is_not_direct_takes_its_queue_untouched()
    {
        var relay = Relay(direct: false);

        Assert.False(await relay.TryAsync(Envelope("e1"), default));

        Assert.Empty(_runs);
    }

    [Fact]
    public async Task A_direct_effect_that_fails_takes_its_queue_and_its_kind_does_too_until_the_rest_is_over()
    {
        var relay = Relay();
        _answer = () => throw new InvalidOperationException("Service Bus is down");

        Assert.False(await relay.TryAsync(Envelope("e1"), default));
        _answer = () => null;
        _clock.Advance(DirectEffects.Rest - TimeSpan.FromSeconds(1));
        Assert.False(await relay.TryAsync(Envelope("e2"), default));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await relay.TryAsync(Envelope("e3"), default));

        Assert.Equal(["e1", "e3"], _runs.Select(r => r.EffectId));
    }

    [Fact]
    public async Task A_direct_handler_that_feeds_back_is_refused_and_its_effect_takes_its_queue()
    {
        var relay = Relay();
        _answer = () => new Pong();

        Assert.False(await relay.TryAsync(Envelope("e1"), default));
    }
}
