using System.Diagnostics;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>Standalone mode polls its queues and runs its timers by itself, without a Functions host.</summary>
public sealed class StandaloneTriggersTests
{
    [Fact]
    public async Task The_apps_own_queue_poller_carries_out_an_effect_and_feeds_it_back()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Hosting:RunTriggers"] = "true" });
        var client = app.CreateClient();

        await client.PutAsJsonAsync("/api/jobs/polled", new { title = "Crate", openForSeconds = 600 });

        // Nothing here drives the triggers: the app's background poller has to find the message.
        var announced = await EventuallyAsync(async () =>
        {
            var job = await HttpAssert.JsonAsync(await client.GetAsync("/api/jobs/polled"));
            return job.GetProperty("state").GetProperty("announced").GetBoolean();
        });
        Assert.True(announced, "the effect was not carried out by the standalone poller within 20 s");
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
