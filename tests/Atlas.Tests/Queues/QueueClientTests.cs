using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Testing;

namespace Atlas.Tests.Queues;

/// <summary>The Shared Key queue client against Azurite's queue service.</summary>
public sealed class QueueClientTests : IAsyncLifetime, IDisposable
{
    private const string Queue = "work";
    private readonly HttpClient _http = new();
    private readonly StorageQueueClient _queues;

    public QueueClientTests() =>
        _queues = new StorageQueueClient(_http, StorageConnection.Parse(Azurite.ConnectionString), Azurite.NewPrefix() + "-");

    public Task InitializeAsync() => _queues.CreateIfNotExistsAsync(Queue, default);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Creating_a_queue_twice_is_fine()
    {
        await _queues.CreateIfNotExistsAsync(Queue, default);
    }

    [Fact]
    public async Task A_sent_message_is_received_with_its_text_and_a_dequeue_count_of_one()
    {
        await _queues.SendAsync(Queue, "hello, ünïcode {json}", TimeSpan.Zero, default);

        var received = await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default);

        var message = Assert.Single(received);
        Assert.Equal("hello, ünïcode {json}", message.Text);
        Assert.Equal(1, message.DequeueCount);
    }

    [Fact]
    public async Task A_received_message_is_invisible_to_others_until_its_timeout()
    {
        await _queues.SendAsync(Queue, "once", TimeSpan.Zero, default);
        await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default);

        Assert.Empty(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));
    }

    [Fact]
    public async Task A_message_sent_with_a_delay_is_not_visible_yet()
    {
        await _queues.SendAsync(Queue, "later", TimeSpan.FromMinutes(5), default);

        Assert.Empty(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));
        Assert.Equal(1, await _queues.ApproximateCountAsync(Queue, default));
    }

    [Fact]
    public async Task A_deleted_message_is_gone()
    {
        await _queues.SendAsync(Queue, "done", TimeSpan.Zero, default);
        var message = Assert.Single(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));

        Assert.True(await _queues.DeleteAsync(Queue, message, default));
        Assert.Equal(0, await _queues.ApproximateCountAsync(Queue, default));
    }

    [Fact]
    public async Task Making_a_message_visible_again_lets_it_be_received_again_with_a_higher_dequeue_count()
    {
        await _queues.SendAsync(Queue, "again", TimeSpan.Zero, default);
        var first = Assert.Single(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));

        var receipt = await _queues.UpdateVisibilityAsync(Queue, first, TimeSpan.Zero, default);
        var second = Assert.Single(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));

        Assert.NotNull(receipt);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.DequeueCount);
    }

    [Fact]
    public async Task Deleting_with_a_stale_pop_receipt_reports_the_lost_lease()
    {
        await _queues.SendAsync(Queue, "lease", TimeSpan.Zero, default);
        var first = Assert.Single(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));
        await _queues.UpdateVisibilityAsync(Queue, first, TimeSpan.Zero, default);
        Assert.Single(await _queues.ReceiveAsync(Queue, 32, TimeSpan.FromSeconds(30), default));

        Assert.False(await _queues.DeleteAsync(Queue, first, default));
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_by_the_service()
    {
        var connection = StorageConnection.Parse(Azurite.ConnectionString) with { AccountKey = new byte[64] };
        var impostor = new StorageQueueClient(_http, connection, "x-");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => impostor.CreateIfNotExistsAsync(Queue, default));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
    }
}
