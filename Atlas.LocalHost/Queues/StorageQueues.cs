using System.Collections.Concurrent;
using Atlas.LocalHost.Configuration;
using Atlas.LocalHost.Logging;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Storage.Queues.Specialized;

namespace Atlas.LocalHost.Queues;

/// <summary>Queue clients per connection setting, encoding messages as host.json says.</summary>
internal sealed class StorageQueues(AppSettings settings, QueuesOptions options, HostLog log)
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, QueueServiceClient> _services = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A connection name resolves to the setting of that name, else to <c>AzureWebJobs&lt;name&gt;</c>; its value is a
    /// connection string (<c>UseDevelopmentStorage=true</c> means Azurite on its default ports).
    /// </summary>
    public QueueServiceClient ServiceFor(string? connection) =>
        _services.GetOrAdd(string.IsNullOrEmpty(connection) ? DefaultConnection : connection, name =>
        {
            var connectionString = settings.ConnectionString(name)
                ?? throw new InvalidOperationException($"The storage connection '{name}' is not set: add it to the app's settings.");

            var clientOptions = new QueueClientOptions { MessageEncoding = options.MessageEncoding };
            clientOptions.MessageDecodingFailed += MoveUndecodableToPoisonAsync;
            return new QueueServiceClient(connectionString, clientOptions);
        });

    /// <summary>The poison queue of a queue: <c>&lt;name&gt;-poison</c>, except for a poison queue itself or when the name would be too long.</summary>
    public static string? PoisonQueueName(string queueName)
    {
        const string suffix = "-poison";
        return queueName.EndsWith(suffix, StringComparison.Ordinal) || queueName.Length + suffix.Length > 63
            ? null
            : queueName + suffix;
    }

    // With base64 encoding, a message that is not base64 cannot be handed to the function; like the WebJobs
    // extension, move it to the poison queue unchanged instead of failing the whole receive.
    private async Task MoveUndecodableToPoisonAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message || PoisonQueueName(args.Queue.Name) is not { } poisonName)
        {
            return;
        }

        log.Warn("Host.Queues", $"Message {message.MessageId} on '{args.Queue.Name}' is not {options.MessageEncoding}-encoded; moving it to '{poisonName}'.");
        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(poisonName);
        await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None).ConfigureAwait(false);
    }
}
