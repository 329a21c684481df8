using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>What the local host prints of the worker's logs: category, message, and the worker's scopes as
/// key=value, so a line says which lifecycle and instance it is about.</summary>
public sealed class HostLogTests
{
    [Fact]
    public async Task A_lifecycle_line_carries_its_lifecycle_and_instance_as_key_value_pairs()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });
        var client = app.CreateClient();
        var challengeId = await Accounts.StartAsync(client, Accounts.NewPhone());
        app.Clock.Advance(TimeSpan.FromMinutes(6));

        // The first try after the deadline expires the challenge; the second is refused by it, and says so.
        await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(client, challengeId, "123456"), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(client, challengeId, "123456"), HttpStatusCode.Conflict);

        // The worker's log lines reach the host on their own stream, a moment after the response.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? line;
        while ((line = app.HostLog.Split('\n').FirstOrDefault(l => l.Contains("rejected: challenge-expired", StringComparison.Ordinal))) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The worker's line never reached the host's log:\n" + app.HostLog);
            await Task.Delay(20);
        }

        Assert.Contains($"[Lifecycle=signin InstanceId={challengeId}]", line, StringComparison.Ordinal);
        Assert.Contains("Function=VerifySignInCode", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Dictionary`2", app.HostLog, StringComparison.Ordinal);
    }
}
