using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Atlas.Functions.Storage;

/// <summary>The Azure Storage service clients Atlas uses, from a connection string (Azurite locally) or an account
/// reached with the app's identity (<see cref="StorageConnection"/>).</summary>
public static class StorageClients
{
    public static TableServiceClient Tables(string connectionString) =>
        new(connectionString, Configure(new TableClientOptions()));

    public static TableServiceClient Tables(StorageConnection connection) => connection.ConnectionString is { } connectionString
        ? Tables(connectionString)
        : new(connection.ServiceUri!, connection.Credential!, Configure(new TableClientOptions()));

    /// <summary>Base64 messages, as the Functions host's queue trigger reads them by default.</summary>
    public static QueueServiceClient Queues(string connectionString) =>
        new(connectionString, QueueOptions());

    public static QueueServiceClient Queues(StorageConnection connection) => connection.ConnectionString is { } connectionString
        ? Queues(connectionString)
        : new(connection.ServiceUri!, connection.Credential!, QueueOptions());

    private static QueueClientOptions QueueOptions() => Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private static T Configure<T>(T options)
        where T : ClientOptions
    {
        // A few quick retries for a passing fault; callers retry the rest (commands, triggers), so no long waits here.
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}
