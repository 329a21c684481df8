using System.Text;
using System.Text.Json;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Azure.Storage.Queues;

namespace Atlas.Tests.Queues;

/// <summary>The queue adapter (Azure.Storage.Queues) against Azurite's queue service.</summary>
public sealed class QueueClientTests : IAsyncLifetime
{
    private const string Queue = "work";
    private readonly string _prefix = Azurite.NewPrefix() + "-";
    private readonly AzureStorageQueues _queues;

    public QueueClientTests() => _queues = new AzureStorageQueues(StorageClients.Queues(Azurite.ConnectionString), _prefix);

    public Task InitializeAsync() => _queues.CreateIfNotExistsAsync(Queue, default);

    public Task DisposeAsync() => Task.CompletedTask;

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
        var wrongKey = Azurite.ConnectionString.Replace(Azurite.DevelopmentKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var impostor = new AzureStorageQueues(StorageClients.Queues(wrongKey), "x-");

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => impostor.CreateIfNotExistsAsync(Queue, default));

        Assert.Equal(403, error.Status);
    }

    [Fact]
    public async Task A_message_Atlas_sends_is_one_the_Functions_queue_trigger_reads_with_its_default_encoding()
    {
        await _queues.SendAsync(Queue, "{\"effect\":\"ünïcode\"}", TimeSpan.Zero, default);

        // The queue as the Functions host sees it: the raw message text, which its trigger Base64-decodes
        // (host.json's extensions.queues.messageEncoding, "base64" unless set otherwise).
        var raw = new QueueClient(Azurite.ConnectionString, _prefix + Queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var message = Assert.Single((await raw.ReceiveMessagesAsync(1)).Value);

        Assert.Equal("{\"effect\":\"ünïcode\"}", Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())));
    }

    [Fact]
    public async Task Host_json_sets_the_queue_trigger_to_the_encoding_Atlas_sends()
    {
        using var hostJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Azurite.RepositoryRoot(), "host.json")));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
    }
}
