using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;

namespace Atlas.Deploy;

/// <summary>The command line of <see cref="RetiredFlows"/>: 0 when the release may go out, 1 when it must wait, 2 for
/// a wrong command line.</summary>
public static class RetiredFlowsCommand
{
    public const string Usage =
        "usage: retired-flows --storage ACCOUNT-NAME|CONNECTION-STRING [--task-hub atlas] [--name-prefix PREFIX]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var options = Parse(args);
        if (options is null || !options.TryGetValue("--storage", out var storage) || storage.Length == 0)
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        var taskHub = options.GetValueOrDefault("--task-hub", "atlas");
        var (tables, queues) = Clients(storage);
        IReadOnlyList<string> running;
        try
        {
            running = await RetiredFlows.StillRunningAsync(tables, queues, taskHub, options.GetValueOrDefault("--name-prefix", ""), ct);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException)
        {
            // Not knowing is not passing: the release waits until the check can read the task hub.
            await errors.WriteLineAsync($"retired-flows: could not read task hub {taskHub} ({e.Message.Split('\n')[0]}); " +
                "the deployer needs Storage Table and Queue Data Reader on the account (infra/modules/storage.bicep)");
            return 1;
        }

        if (running.Count == 0)
        {
            await output.WriteLineAsync($"retired-flows: task hub {taskHub} runs none of {string.Join(", ", RetiredFlows.Orchestrators)}; the release may go out");
            return 0;
        }

        await errors.WriteLineAsync(
            $"retired-flows: this release no longer has {string.Join(", ", RetiredFlows.Orchestrators)}, and task hub {taskHub} still has their work:");
        foreach (var line in running)
        {
            await errors.WriteLineAsync("  " + line);
        }

        await errors.WriteLineAsync(
            $"Deploy release {RetiredFlows.LastDrainingRelease} (it runs them to their end), wait until this check passes, then deploy this one " +
            "(docs/lifecycles.md, \"Draining the flows of before\").");
        return 1;
    }

    /// <summary>An account name is reached with the deployer's Entra ID (the storage account takes no shared key); a
    /// connection string (Azurite, a test) as it says.</summary>
    private static (TableServiceClient, QueueServiceClient) Clients(string storage)
    {
        if (storage.Contains('=', StringComparison.Ordinal))
        {
            return (new TableServiceClient(storage), new QueueServiceClient(storage));
        }

        var credential = new DefaultAzureCredential();
        return (
            new TableServiceClient(new Uri($"https://{storage}.table.core.windows.net"), credential),
            new QueueServiceClient(new Uri($"https://{storage}.queue.core.windows.net"), credential));
    }

    private static Dictionary<string, string>? Parse(string[] args)
    {
        if (args is not ["retired-flows", .. var rest] || rest.Length % 2 != 0)
        {
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in rest.Chunk(2))
        {
            if (pair[0] is not ("--storage" or "--task-hub" or "--name-prefix"))
            {
                return null;
            }

            options[pair[0]] = pair[1];
        }

        return options;
    }
}
