using Atlas.Functions.Ledger;
using Atlas.Functions.Settlement;
using Microsoft.DurableTask;
using Moq;
using static Atlas.Functions.Settlement.SettlementFlow;

namespace Atlas.Tests.Payments;

/// <summary>The settlement orchestrator's steps, driven by a mocked orchestration context: which activities it calls
/// with what, when it starts over with the next page, and what a batch that keeps failing leaves behind.</summary>
public sealed class SettlementFlowTests
{
    private const string Period = "2026-11-26";

    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);
    private readonly List<DriverBatch> _batches = [];

    [Fact]
    public async Task A_short_page_is_settled_in_batches_of_eight_and_the_run_ends_with_its_count()
    {
        var drivers = Drivers(20);
        Page(after: null, take: 4 * DriversPerActivity, drivers);
        Settle(_ => Task.CompletedTask);

        var progress = await SettleAsync(_context.Object, new Input(Period, Parallelism: 4), reconcile: false);

        Assert.Equal(new SettlementProgress(20, 0), progress);
        Assert.Equal([8, 8, 4], _batches.Select(b => b.Drivers.Count));
        Assert.Equal(drivers, _batches.SelectMany(b => b.Drivers));
        Assert.All(_batches, b => Assert.Equal(Period, b.PeriodId));
        _context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task Version_2_reconciles_the_period_after_its_last_page_and_says_how_many_lines_disagree()
    {
        Page(after: "mb_before", take: 2 * DriversPerActivity, Drivers(3));
        Settle(_ => Task.CompletedTask);
        _context.Setup(c => c.CallActivityAsync<int>(nameof(ReconcileSettlementAsync), Period, It.IsNotNull<TaskOptions>())).ReturnsAsync(2);

        var progress = await SettleAsync(_context.Object, new Input(Period, 2, After: "mb_before", Progress: new SettlementProgress(16, 0)), reconcile: true);

        Assert.Equal(new SettlementProgress(19, 0, Mismatches: 2), progress);
    }

    [Fact]
    public async Task A_full_page_starts_over_after_its_last_driver_carrying_what_was_done()
    {
        var drivers = Drivers(2 * DriversPerActivity);
        Page(after: "mb_before", take: 2 * DriversPerActivity, drivers);
        Settle(_ => Task.CompletedTask);
        object? next = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((input, _) => next = input);

        await SettleAsync(_context.Object, new Input(Period, 2, After: "mb_before", Progress: new SettlementProgress(100, 3)), reconcile: true);

        Assert.Equal(new Input(Period, 2, drivers[^1].DriverId, new SettlementProgress(116, 3)), next);
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_leaves_its_drivers_pending_and_the_others_are_settled()
    {
        var drivers = Drivers(12);
        Page(after: null, take: 3 * DriversPerActivity, drivers);
        Settle(batch => batch.Drivers.Contains(drivers[0])
            ? Task.FromException(new TaskFailedException(nameof(SettleDriversAsync), 2, new TaskFailureDetails("StripeUnavailableException", "down", null, null, null)))
            : Task.CompletedTask);

        var progress = await SettleAsync(_context.Object, new Input(Period, 3), reconcile: false);

        Assert.Equal(new SettlementProgress(12, 8), progress);
        Assert.Equal(2, _batches.Count);
    }

    [Fact]
    public async Task No_drivers_no_batches()
    {
        Page(after: null, take: DriversPerActivity, []);

        var progress = await SettleAsync(_context.Object, new Input(Period, 1), reconcile: false);

        Assert.Equal(new SettlementProgress(0, 0), progress);
        Assert.Empty(_batches);
    }

    private static List<LedgerStore.LedgerDriver> Drivers(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new LedgerStore.LedgerDriver($"mb_{i:D3}", "co_1"))];

    private void Page(string? after, int take, IReadOnlyList<LedgerStore.LedgerDriver> drivers) =>
        _context
            .Setup(c => c.CallActivityAsync<IReadOnlyList<LedgerStore.LedgerDriver>>(
                nameof(ListSettlementDriversAsync), new DriversPage(after, take), It.IsNotNull<TaskOptions>()))
            .ReturnsAsync(drivers);

    private void Settle(Func<DriverBatch, Task> outcome) =>
        _context
            .Setup(c => c.CallActivityAsync(nameof(SettleDriversAsync), It.IsAny<DriverBatch>(), It.IsNotNull<TaskOptions>()))
            .Returns<TaskName, object, TaskOptions>((_, input, _) =>
            {
                var batch = (DriverBatch)input;
                _batches.Add(batch);
                return outcome(batch);
            });
}
