using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static Atlas.Functions.Payments.StripeSteps;

namespace Atlas.Tests.Payments;

/// <summary>The Stripe step orchestrator, driven by a mocked orchestration context: one activity carries the call out
/// under retries; a round of retries that fails waits and starts over, never giving the step up.</summary>
public sealed class StripeStepTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Step Capture = new(new EffectEnvelope(
        "escrow:rd_1:4:0", "payment.capture", "escrow", "rd_1", JsonSerializer.SerializeToElement(new { intentId = "pi_1", amount = 1200 })));

    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);

    public StripeStepTests()
    {
        _context.Setup(c => c.CurrentUtcDateTime).Returns(Now);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
    }

    [Fact]
    public async Task The_step_is_one_activity_under_a_retry_policy_and_then_the_flow_ends()
    {
        TaskOptions? options = null;
        _context.Setup(c => c.CallActivityAsync(nameof(CarryOutStripeStepAsync), Capture, It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, o) => options = o)
            .Returns(Task.CompletedTask);

        await CarryOutAsync(_context.Object, Capture);

        Assert.NotNull(options?.Retry?.Policy);
        Assert.True(options!.Retry!.Policy!.MaxNumberOfAttempts > 1);
        _context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
        _context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_round_of_retries_that_fails_waits_and_starts_over_with_the_same_effect()
    {
        _context.Setup(c => c.CallActivityAsync(nameof(CarryOutStripeStepAsync), Capture, It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(nameof(CarryOutStripeStepAsync), 3, new TaskFailureDetails("StripeUnavailableException", "down", null, null, null)));
        _context.Setup(c => c.CreateTimer(Now + StepRetry.Before.Park, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        object? next = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((input, _) => next = input);

        await CarryOutAsync(_context.Object, Capture);

        Assert.Equal(Capture with { Rounds = 1 }, next);
        _context.Verify(c => c.CreateTimer(Now + StepRetry.Before.Park, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task The_step_retries_by_the_settings_it_started_with_and_keeps_them_into_the_next_round()
    {
        var settled = Capture with { Retry = new StepRetry(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(2)) };
        TaskOptions? options = null;
        _context.Setup(c => c.CallActivityAsync(nameof(CarryOutStripeStepAsync), settled, It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, o) => options = o)
            .ThrowsAsync(new TaskFailedException(nameof(CarryOutStripeStepAsync), 3, new TaskFailureDetails("StripeUnavailableException", "down", null, null, null)));
        _context.Setup(c => c.CreateTimer(Now + TimeSpan.FromMinutes(2), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        object? next = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((input, _) => next = input);

        await CarryOutAsync(_context.Object, settled);

        var policy = options!.Retry!.Policy!;
        Assert.Equal((3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)), (policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.MaxRetryInterval));
        Assert.Equal(settled with { Rounds = 1 }, next);
    }

    [Fact]
    public void The_instance_is_named_by_the_effect_so_a_second_start_of_the_same_step_finds_it()
    {
        Assert.Equal("stripe-escrow:rd_1:4:0", InstanceId(Capture.Effect.EffectId));
    }
}
