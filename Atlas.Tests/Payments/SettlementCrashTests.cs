using System.Diagnostics;
using Atlas.Core.Auth;
using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using Atlas.Core.Settlement;
using Atlas.FakeStripe;
using Atlas.Functions.Companies;
using Atlas.Functions.Ledger;
using Atlas.Functions.Settlement;
using Atlas.Functions.Stripe;
using Atlas.LocalHost;
using Atlas.Testing;
using Microsoft.DurableTask.Client;

namespace Atlas.Tests.Payments;

/// <summary>
/// Settlement on the real engine with the worker in a process of its own, killed while an activity waits for Stripe
/// to answer a transfer it has already made: the engine runs the step again on the next worker, the same idempotency
/// key gets Stripe's first answer back, and every driver is paid exactly once — whichever version the run began as.
/// </summary>
public sealed class SettlementCrashTests : IAsyncLifetime
{
    private const int Drivers = 20;

    private readonly StringWriter _log = new();
    private readonly string _prefix = Azurite.NewPrefix();
    private FakeStripeServer _stripe = null!;
    private FunctionsHost _host = null!;
    private TestRuntime _storage = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        var settings = TestSettings.For(_prefix);
        settings["Stripe:BaseUrl"] = _stripe.BaseUrl.ToString();
        settings["Stripe:Timeout"] = "00:01:00";
        settings["Settlement:Parallelism"] = "2";
        _host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = LocalApp.AppDirectory,
            HttpPort = 0,
            Settings = settings.ToDictionary(s => s.Key, s => s.Value!),
            Log = TextWriter.Synchronized(_log),
        });

        // The same storage as the app, from this process: a second "instance" that books the rides and reads the lines.
        _storage = await TestRuntime.StartAsync(_prefix, settings: new Dictionary<string, string?> { ["Stripe:BaseUrl"] = _stripe.BaseUrl.ToString() });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _storage.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_worker_during_a_transfer_pays_every_driver_once()
    {
        var owed = await BookRidesAsync();
        await using var durable = _host.CreateDurableClient();

        var run = await RunThroughACrashAsync(durable, SettlementFlow.Name);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new SettlementFlow.SettlementProgress(Drivers, 0, Mismatches: 0), run.ReadOutputAs<SettlementFlow.SettlementProgress>());
        var lines = await LinesAsync();
        Assert.Equal(Drivers, lines.Count(l => l.Status == PayoutStatus.Paid));
        Assert.Equal(owed, lines.ToDictionary(l => l.DriverId, l => l.Amount));

        // The transfer the dead worker was waiting for was asked again with its key, and Stripe made it once.
        var transfers = _stripe.Requests.Where(r => r is { Method: "POST", Path: "/v1/transfers" }).ToList();
        Assert.True(transfers.Count > Drivers, $"{transfers.Count} transfer requests: the interrupted one was not retried");
        Assert.Equal(Drivers, transfers.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.Equal(Drivers, _stripe.State.Events.Count(e => (string?)e["type"] == "transfer.created"));
        Assert.Empty((await _storage.Services.GetRequiredService<Reconciliation>().CheckAsync(_storage.Services.GetRequiredService<IStripeApi>(), Period, lines, default)).Mismatches);
    }

    /// <summary>A deployment that changes the orchestration's steps: the run begun as version 1 replays as version 1
    /// on the new worker (its name is in its history), and the next run starts as version 2.</summary>
    [Fact]
    public async Task A_run_begun_as_version_1_finishes_as_version_1_across_a_restart_and_the_next_run_is_version_2()
    {
        await BookRidesAsync();
        await using var durable = _host.CreateDurableClient();

        var old = await RunThroughACrashAsync(durable, SettlementFlow.V1);

        Assert.Equal((SettlementFlow.V1, OrchestrationRuntimeStatus.Completed), (old.Name, old.RuntimeStatus));
        Assert.Equal(new SettlementFlow.SettlementProgress(Drivers, 0), old.ReadOutputAs<SettlementFlow.SettlementProgress>());

        var next = await RunAsync(durable, SettlementFlow.Name);

        Assert.Equal((SettlementFlow.V2, OrchestrationRuntimeStatus.Completed), (next.Name, next.RuntimeStatus));
        Assert.Equal(new SettlementFlow.SettlementProgress(Drivers, 0, Mismatches: 0), next.ReadOutputAs<SettlementFlow.SettlementProgress>());
        Assert.Equal(Drivers, _stripe.State.Events.Count(e => (string?)e["type"] == "transfer.created"));
    }

    private static SettlementPeriod Period => SettlementPeriod.Containing(DateTimeOffset.UtcNow, TimeSpan.FromDays(1));

    /// <summary>Starts a run of <paramref name="orchestrator"/>, kills the worker while Stripe holds back its first
    /// transfer's answer, and waits for the run to finish on the next worker.</summary>
    private async Task<OrchestrationMetadata> RunThroughACrashAsync(DurableTaskClient durable, string orchestrator)
    {
        _stripe.Inject(status: 0, path: "/v1/transfers", delay: TimeSpan.FromMinutes(1));
        var restarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.WorkerRestarted += restarted.SetResult;
        var instanceId = await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, new SettlementFlow.Input(Period.Id, 2));
        await UntilAsync(() => Task.FromResult(_stripe.Requests.Any(r => r.Path == "/v1/transfers")), "no transfer was ever asked for");
        using (var worker = Process.GetProcessById(_host.WorkerProcessId!.Value))
        {
            worker.Kill();
        }

        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return await FinishedAsync(durable, instanceId);
    }

    private static async Task<OrchestrationMetadata> RunAsync(DurableTaskClient durable, string orchestrator) =>
        await FinishedAsync(durable, await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, new SettlementFlow.Input(Period.Id, 2)));

    private static async Task<OrchestrationMetadata> FinishedAsync(DurableTaskClient durable, string instanceId)
    {
        OrchestrationMetadata? run = null;
        await UntilAsync(async () => (run = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true)) is { IsCompleted: true }, "the run did not finish");
        return run!;
    }

    private Task<IReadOnlyList<SettlementLine>> LinesAsync() =>
        _storage.Services.GetRequiredService<SettlementStore>().ReadAsync(Period.Id, default);

    /// <summary>A completed ride for each of <see cref="Drivers"/> drivers, in the ledger; what each is owed.</summary>
    private async Task<Dictionary<string, long>> BookRidesAsync()
    {
        var companies = _storage.Services.GetRequiredService<CompanyStore>();
        var ledger = _storage.Services.GetRequiredService<LedgerStore>();
        var now = DateTimeOffset.UtcNow;
        var owed = new Dictionary<string, long>();
        for (var d = 0; d < Drivers; d++)
        {
            var driverId = $"mb_crash{d:D3}";
            await companies.AddMemberAsync("co_crash", new Member(driverId, $"+1444{d:D7}", Role.Driver, now), default);
            await companies.UpdateDriverAsync("co_crash", driverId, new Dictionary<string, object?> { ["PayoutAccountId"] = $"acct_crash{d:D3}" }, default);
            var price = 1_000 + (d * 37);
            var (_, share) = PlatformFee.Default.Split(price);
            var ride = $"rd_crash{d:D3}-1";
            await ledger.ImportAsync(
                driverId,
                "co_crash",
                [Entries.Hold($"{ride}:hold-1", "GBP", driverId, ride, now, price + 100), Entries.Capture($"{ride}:capture", "GBP", driverId, ride, now, price + 100, price, share)],
                default);
            owed[driverId] = share;
        }

        return owed;
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), failure);
            await Task.Delay(20);
        }
    }
}
