using System.Text.Json;
using Atlas.Core.Integration;
using Atlas.Functions.Integration;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Atlas.Tests.Integration;

/// <summary>The Service Bus publisher over a mocked sender (no Service Bus emulator exists here): what each message
/// carries, how they are batched, and that a failure, transient or not, is sent once and thrown.</summary>
public sealed class ServiceBusPublisherTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<List<ServiceBusMessage>> _sent = [];

    public ServiceBusPublisherTests()
    {
        _sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var store = new List<ServiceBusMessage>();
            _sent.Add(store);

            // A batch that takes three messages: enough to see a fourth go in the next one.
            return ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, store, tryAddCallback: _ => store.Count < 3);
        });
    }

    [Fact]
    public async Task A_message_carries_the_effect_id_the_type_as_subject_filterable_properties_and_the_document()
    {
        var completed = new BusinessEvent(BusinessEvents.RideCompleted, At, "co_1", "bk_1", "rd_1", "mb_1", 1700, "GBP");

        await Publisher().PublishAsync([new IntegrationMessage("ride:rd_1:7:0", completed)], default);

        var message = Assert.Single(Assert.Single(_sent));
        Assert.Equal("ride:rd_1:7:0", message.MessageId);
        Assert.Equal("ride.completed", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal("ride.completed", message.ApplicationProperties["type"]);
        Assert.Equal("co_1", message.ApplicationProperties["companyId"]);
        Assert.Equal(1, message.ApplicationProperties["version"]);
        using var body = JsonDocument.Parse(message.Body.ToString());
        Assert.Equal(
            """{"id":"ride:rd_1:7:0","type":"ride.completed","version":1,"occurredAt":"2026-11-27T09:00:00+00:00","companyId":"co_1","bookingId":"bk_1","rideId":"rd_1","driverId":"mb_1","amount":1700,"currency":"GBP"}""",
            body.RootElement.GetRawText());
        _sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Several_messages_go_in_as_few_batches_as_fit()
    {
        var messages = Enumerable.Range(1, 4).Select(i => new IntegrationMessage($"m{i}", new BusinessEvent(BusinessEvents.BookingCreated, At, BookingId: $"bk_{i}"))).ToList();

        await Publisher().PublishAsync(messages, default);

        Assert.Equal([["m1", "m2", "m3"], ["m4"]], _sent.Select(b => b.Select(m => m.MessageId).ToList()));
        _sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_message_without_a_company_has_no_company_property()
    {
        await Publisher().PublishAsync([new IntegrationMessage("m1", new BusinessEvent(BusinessEvents.BookingCreated, At, BookingId: "bk_1"))], default);

        Assert.False(Assert.Single(Assert.Single(_sent)).ApplicationProperties.ContainsKey("companyId"));
    }

    [Fact]
    public async Task A_transient_failure_is_sent_once_and_thrown_for_the_effects_queue_to_retry()
    {
        _sender.SetupSequence(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException(isTransient: true, "busy", reason: ServiceBusFailureReason.ServiceBusy))
            .Returns(Task.CompletedTask);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => Publisher().PublishAsync([new IntegrationMessage("m1", new BusinessEvent(BusinessEvents.PayoutPaid, At))], default));

        // Once: the integration queue's next delivery is the retry, not a loop nested inside it.
        Assert.Equal(ServiceBusFailureReason.ServiceBusy, error.Reason);
        _sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_here_and_is_reported_with_the_message_ids()
    {
        using var logs = new Atlas.Tests.Infrastructure.CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        _sender.Setup(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException(isTransient: false, "no such topic", reason: ServiceBusFailureReason.MessagingEntityNotFound));

        var error = await Assert.ThrowsAsync<ServiceBusException>(() =>
            new ServiceBusIntegrationEvents(_sender.Object, loggers.CreateLogger<ServiceBusIntegrationEvents>())
                .PublishAsync([new IntegrationMessage("payout-2026-11-26-mb_1-GBP", new BusinessEvent(BusinessEvents.PayoutPaid, At))], default));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
        _sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains(logs.Entries, e => e.Message.Contains("refused", StringComparison.Ordinal) && e.Message.Contains("payout-2026-11-26-mb_1-GBP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_too_large_for_any_batch_is_refused_rather_than_sent_empty()
    {
        _sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ServiceBusModelFactory.ServiceBusMessageBatch(10, [], tryAddCallback: _ => false));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher().PublishAsync([new IntegrationMessage("m1", new BusinessEvent(BusinessEvents.PayoutPaid, At))], default));

        _sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Events_published_at_the_same_moment_share_one_send()
    {
        var gate = new TaskCompletionSource();
        var sends = new List<int>();
        var events = new Mock<IIntegrationEvents>();
        events.Setup(e => e.PublishAsync(It.IsAny<IReadOnlyList<IntegrationMessage>>(), It.IsAny<CancellationToken>()))
            .Returns<IReadOnlyList<IntegrationMessage>, CancellationToken>(async (messages, _) =>
            {
                sends.Add(messages.Count);
                await gate.Task;
            });
        var publishing = new IntegrationPublishing(events.Object);

        var first = publishing.PublishAsync(new IntegrationMessage("m0", new BusinessEvent(BusinessEvents.BookingCreated, At)));
        var rest = Enumerable.Range(1, 5).Select(i => publishing.PublishAsync(new IntegrationMessage($"m{i}", new BusinessEvent(BusinessEvents.BookingCreated, At)))).ToList();
        gate.SetResult();
        await Task.WhenAll([first, .. rest]);

        Assert.Equal([1, 5], sends);
    }

    private ServiceBusIntegrationEvents Publisher() => new(_sender.Object, NullLogger<ServiceBusIntegrationEvents>.Instance);
}
