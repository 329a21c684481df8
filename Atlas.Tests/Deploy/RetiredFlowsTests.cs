using Atlas.Deploy;
using Atlas.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Atlas.Tests.Deploy;

/// <summary>
/// The predeploy check (azure.yaml) against a task hub the Azure Storage provider keeps on Azurite: a release without
/// the retired flows is refused while an instance of one has an episode to come or their queues hold a message
/// (docs/lifecycles.md, "Draining the flows of before").
/// </summary>
public sealed class RetiredFlowsTests
{
    private readonly string _taskHub = "retired" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _prefix = Azurite.NewPrefix();

    [Fact]
    public async Task A_first_deployment_with_no_task_hub_may_go_out()
    {
        var (code, output, errors) = await CheckAsync();

        Assert.Equal((0, ""), (code, errors));
        Assert.Contains($"task hub {_taskHub} runs none of BookingJourneyV1, DeadlineV1, StripeStepV1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retired_flow_the_provider_holds_pending_refuses_the_release_and_names_it_and_the_release_to_deploy_first()
    {
        var client = await TaskHubAsync();
        await client.CreateOrchestrationInstanceAsync("DeadlineV1", "", "deadline-booking-bk_1-0639000000000000000", null);
        await client.CreateOrchestrationInstanceAsync("BookingJourneyV2", "", "journey-bk_1", null);

        var (code, _, errors) = await CheckAsync();

        Assert.Equal(1, code);
        Assert.Contains("orchestration deadline-booking-bk_1-0639000000000000000 (DeadlineV1) is Pending", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("journey-bk_1", errors, StringComparison.Ordinal);
        Assert.Contains($"Deploy release {RetiredFlows.LastDrainingRelease}", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Running", 1)]
    [InlineData("ContinuedAsNew", 1)]
    [InlineData("Suspended", 1)]
    [InlineData("Completed", 0)]
    [InlineData("Failed", 0)]
    [InlineData("Terminated", 0)]
    public async Task A_retired_flow_counts_until_it_has_ended(string status, int code)
    {
        var client = await TaskHubAsync();
        var instance = await client.CreateOrchestrationInstanceAsync("BookingJourneyV1", "", "journey-bk_2", null);
        // As the provider's worker leaves the row once the flow has run (no worker here runs a retired flow).
        var instances = new TableClient(Azurite.ConnectionString, _taskHub + "Instances");
        await instances.UpdateEntityAsync(new TableEntity(instance.InstanceId, "") { ["RuntimeStatus"] = status }, Azure.ETag.All);

        var (actual, _, errors) = await CheckAsync();

        Assert.Equal(code, actual);
        Assert.Equal(code == 1, errors.Contains($"journey-bk_2 (BookingJourneyV1) is {status}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("deadlines")]
    [InlineData("stripe")]
    [InlineData("stripe-poison")]
    public async Task A_message_left_on_a_retired_flows_queue_refuses_the_release(string queue)
    {
        var messages = new QueueClient(Azurite.ConnectionString, _prefix + queue);
        await messages.CreateAsync();
        await messages.SendMessageAsync("{}", visibilityTimeout: TimeSpan.FromMinutes(5));

        var (code, _, errors) = await CheckAsync();

        Assert.Equal(1, code);
        Assert.Contains($"queue {_prefix + queue} holds 1 message(s)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_yaml_runs_the_check_before_a_deploy_on_the_storage_and_task_hub_the_bicep_names()
    {
        var root = Azurite.RepositoryRoot();
        var run = File.ReadAllLines(Path.Combine(root, "azure.yaml")).Select(l => l.Trim()).Single(l => l.StartsWith("run: dotnet run --project Atlas.Deploy -- ", StringComparison.Ordinal));
        var hookArgs = run.Split(" -- ")[1].Split(' ').Select(a => a.Trim('"')).ToArray();
        var bicep = File.ReadAllText(Path.Combine(root, "infra", "modules", "functionapp.bicep"));

        Assert.Contains("predeploy:", File.ReadAllText(Path.Combine(root, "azure.yaml")), StringComparison.Ordinal);
        Assert.Equal(["retired-flows", "--storage", "$AZURE_STORAGE_ACCOUNT_NAME", "--task-hub", "atlas"], hookArgs);
        Assert.Contains("DurableTaskHub: 'atlas'", bicep, StringComparison.Ordinal);
        Assert.Contains("output AZURE_STORAGE_ACCOUNT_NAME", File.ReadAllText(Path.Combine(root, "infra", "main.bicep")), StringComparison.Ordinal);
        // The same command line, on Azurite and this test's own task hub (the tests' apps share the one named atlas).
        var output = new StringWriter();
        var code = await RetiredFlowsCommand.RunAsync(
            [.. hookArgs.Select(a => a switch { "$AZURE_STORAGE_ACCOUNT_NAME" => Azurite.ConnectionString, "atlas" => _taskHub, _ => a })], output, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Contains($"task hub {_taskHub} runs none", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_that_refuses_the_deployer_refuses_the_release_and_says_what_access_it_needs()
    {
        // Azurite's own account with another key: every request is refused as unauthorised.
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var storage = string.Join(';', Azurite.ConnectionString.Split(';').Select(p => p.StartsWith("AccountKey=", StringComparison.Ordinal) ? "AccountKey=" + wrongKey : p));
        var errors = new StringWriter();

        var code = await RetiredFlowsCommand.RunAsync(["retired-flows", "--storage", storage, "--task-hub", _taskHub], TextWriter.Null, errors, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.StartsWith($"retired-flows: could not read task hub {_taskHub} (", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("Storage Table and Queue Data Reader", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_command_line_is_told_its_usage()
    {
        var errors = new StringWriter();

        var code = await RetiredFlowsCommand.RunAsync(["retired-flows", "--storage"], TextWriter.Null, errors, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.StartsWith(RetiredFlowsCommand.Usage, errors.ToString(), StringComparison.Ordinal);
    }

    private async Task<TaskHubClient> TaskHubAsync()
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = _taskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(Azurite.ConnectionString),
        });
        await service.CreateIfNotExistsAsync();
        return new TaskHubClient(service);
    }

    private async Task<(int Code, string Output, string Errors)> CheckAsync()
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await RetiredFlowsCommand.RunAsync(
            ["retired-flows", "--storage", Azurite.ConnectionString, "--task-hub", _taskHub, "--name-prefix", _prefix], output, errors, CancellationToken.None);
        return (code, output.ToString(), errors.ToString());
    }
}
