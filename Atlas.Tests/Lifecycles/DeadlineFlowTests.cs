using Atlas.Functions.Lifecycles;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static Atlas.Functions.Lifecycles.DeadlineFlow;

namespace Atlas.Tests.Lifecycles;

/// <summary>The draining deadline orchestrator's steps (kept registered until none runs), driven by a mocked orchestration context: what it waits for, what it
/// fires, and how it starts over when its deadline came too early or its activity kept failing.</summary>
public sealed class DeadlineFlowTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 11, 27, 12, 5, 0, TimeSpan.Zero);
    private static readonly DateTime Now = new(2026, 11, 27, 12, 5, 1, DateTimeKind.Utc);

    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);
    private readonly List<Input> _fired = [];

    public DeadlineFlowTests()
    {
        _context.Setup(c => c.CurrentUtcDateTime).Returns(Now);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
    }

    [Fact]
    public async Task On_a_durable_timer_it_waits_until_the_deadline_then_sends_the_timeout_once()
    {
        var input = new Input("booking", "bk_1", Deadline);
        Timer(Deadline.UtcDateTime);
        Fire(_ => Task.FromResult(true));

        await WaitAndFireAsync(_context.Object, input);

        Assert.Equal([input], _fired);
        _context.Verify(c => c.CreateTimer(Deadline.UtcDateTime, It.IsAny<CancellationToken>()), Times.Once);
        _context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task A_timer_that_fired_too_early_starts_over_waiting_for_the_same_deadline()
    {
        var input = new Input("signin", "ch_1", Deadline);
        Timer(Deadline.UtcDateTime);
        Fire(_ => Task.FromResult(false));
        object? next = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((i, _) => next = i);

        await WaitAndFireAsync(_context.Object, input);

        Assert.Equal(input, next);
    }

    [Fact]
    public async Task An_activity_that_spent_its_retries_parks_the_deadline_and_tries_again_later()
    {
        var input = new Input("escrow", "rd_1", Deadline);
        Timer(Deadline.UtcDateTime);
        Fire(_ => Task.FromException<bool>(new TaskFailedException(nameof(FireDeadlineAsync), 3, new TaskFailureDetails("RequestFailedException", "storage down", null, null, null))));
        object? next = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((i, _) => next = i);

        await WaitAndFireAsync(_context.Object, input);

        Assert.Equal(input with { RetryAt = Now + Park }, next);
    }

    [Fact]
    public async Task A_parked_deadline_waits_until_its_retry_time_then_fires_the_same_deadline()
    {
        var retryAt = Deadline.AddMinutes(5);
        var input = new Input("escrow", "rd_1", Deadline, RetryAt: retryAt);
        Timer(retryAt.UtcDateTime);
        Fire(_ => Task.FromResult(true));

        await WaitAndFireAsync(_context.Object, input);

        Assert.Equal(Deadline, Assert.Single(_fired).Deadline);
        _context.Verify(c => c.CreateTimer(retryAt.UtcDateTime, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void The_instance_id_names_the_lifecycle_the_instance_and_the_deadline_to_the_tick()
    {
        var id = InstanceId("booking", "bk_1", Deadline.AddTicks(7));

        Assert.Equal($"deadline-booking-bk_1-{Deadline.UtcTicks + 7:D19}", id);
        Assert.Equal(Deadline.AddTicks(7), DeadlineOf(id));
    }

    private void Timer(DateTime at) =>
        _context.Setup(c => c.CreateTimer(at, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

    private void Fire(Func<Input, Task<bool>> outcome) =>
        _context.Setup(c => c.CallActivityAsync<bool>(nameof(FireDeadlineAsync), It.IsAny<Input>(), It.IsNotNull<TaskOptions>()))
            .Returns<TaskName, object?, TaskOptions?>((_, input, _) =>
            {
                _fired.Add((Input)input!);
                return outcome((Input)input!);
            });
}
