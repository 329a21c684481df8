using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Atlas.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Moq;

namespace Atlas.Tests.Telemetry;

/// <summary>A queue function failing on its message's last delivery (after which the host poisons it) is counted;
/// earlier failures, successes and other triggers are not.</summary>
public sealed class PoisonedMessagesTests
{
    [Theory]
    [InlineData("queueTrigger", 5, true, 1)]
    [InlineData("queueTrigger", 4, true, 0)]
    [InlineData("queueTrigger", 5, false, 0)]
    [InlineData("httpTrigger", 5, true, 0)]
    public async Task A_failure_on_the_last_delivery_is_counted(string trigger, int deliveries, bool fails, int counted)
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<AtlasMetrics>().BuildServiceProvider();
        var poisoned = new List<(long Count, object? Function)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "atlas.poisoned")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, count, tags, _) => poisoned.Add((count, tags[0].Value)));
        listener.Start();
        var middleware = new PoisonedMessages(services.GetRequiredService<AtlasMetrics>(), new ConfigurationBuilder().Build());

        var invoking = middleware.Invoke(Context(trigger, deliveries), _ => fails ? throw new InvalidOperationException("down") : Task.CompletedTask);

        if (fails)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => invoking);
        }

        Assert.Equal(counted, poisoned.Count);
        Assert.All(poisoned, p => Assert.Equal((1L, "Effects"), p));
    }

    private static FunctionContext Context(string trigger, int deliveries)
    {
        var binding = new Mock<BindingMetadata>();
        binding.Setup(b => b.Type).Returns(trigger);
        var definition = new Mock<FunctionDefinition>();
        definition.Setup(d => d.Name).Returns("Effects");
        definition.Setup(d => d.InputBindings).Returns(ImmutableDictionary<string, BindingMetadata>.Empty.Add("message", binding.Object));
        var bindingContext = new Mock<BindingContext>();
        bindingContext.Setup(b => b.BindingData).Returns(new Dictionary<string, object?> { ["DequeueCount"] = deliveries.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.FunctionDefinition).Returns(definition.Object);
        context.Setup(c => c.BindingContext).Returns(bindingContext.Object);
        return context.Object;
    }
}
