using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Atlas.Functions.Storage;

/// <summary>
/// The table port over Azure.Data.Tables, which speaks Azure Table storage and Azurite. Every table name gets the
/// configured prefix, so several apps (or test runs) can share one account. Expected outcomes (409, 412, 404) come
/// back as <see cref="TableWriteStatus"/> values; only faults throw.
/// </summary>
public sealed class AzureTableStore(TableServiceClient service, string namePrefix = "") : ITableStore
{
    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) =>
        await Table(table).CreateIfNotExistsAsync(cancellationToken);

    public async Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await Table(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? ToRow(response.Value!) : null;
    }

    public async Task<TableWrite> WriteAsync(string table, TableOperation operation, CancellationToken cancellationToken)
    {
        var client = Table(table);
        try
        {
            var entity = ToEntity(operation.Row);
            using var response = operation.Kind switch
            {
                TableOperationKind.Insert => await client.AddEntityAsync(entity, cancellationToken),
                TableOperationKind.Replace => await client.UpdateEntityAsync(entity, Guard(operation), TableUpdateMode.Replace, cancellationToken),
                TableOperationKind.Merge => await client.UpdateEntityAsync(entity, Guard(operation), TableUpdateMode.Merge, cancellationToken),
                TableOperationKind.Upsert => await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
                TableOperationKind.Delete => await client.DeleteEntityAsync(operation.Row.PartitionKey, operation.Row.RowKey, Guard(operation), cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown table operation."),
            };

            // The SDK answers a delete of a missing row with its 404 response rather than an exception.
            return response.Status == 404 ? new TableWrite(TableWriteStatus.NotFound) : new TableWrite(TableWriteStatus.Ok, response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (Expected(e.Status) is { } status)
        {
            return new TableWrite(status);
        }
    }

    public async Task<TableWrite> ExecuteBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken)
    {
        BatchRules.Check(operations);
        var actions = operations.Select(o => new TableTransactionAction(
            o.Kind switch
            {
                TableOperationKind.Insert => TableTransactionActionType.Add,
                TableOperationKind.Replace => TableTransactionActionType.UpdateReplace,
                TableOperationKind.Merge => TableTransactionActionType.UpdateMerge,
                TableOperationKind.Upsert => TableTransactionActionType.UpsertReplace,
                TableOperationKind.Delete => TableTransactionActionType.Delete,
                _ => throw new ArgumentOutOfRangeException(nameof(operations), o.Kind, "Unknown table operation."),
            },
            ToEntity(o.Row),
            o.Kind is TableOperationKind.Insert or TableOperationKind.Upsert ? default : Guard(o)));
        try
        {
            var responses = await Table(table).SubmitTransactionAsync(actions, cancellationToken);
            return new TableWrite(TableWriteStatus.Ok, responses.Value[0].Headers.ETag?.ToString());
        }
        catch (TableTransactionFailedException e) when (Expected(e.Status) is { } status)
        {
            return new TableWrite(status, FailedOperation: e.FailedTransactionActionIndex);
        }
    }

    public Task<TablePage> QueryPartitionAsync(
        string table, string partitionKey, string? rowKeyPrefix, string? continuation, int take, CancellationToken cancellationToken) =>
        QueryAsync(
            table,
            string.IsNullOrEmpty(rowKeyPrefix)
                ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rowKeyPrefix} and RowKey lt {rowKeyPrefix + '\uffff'}"),
            continuation,
            take,
            cancellationToken);

    public async Task<IReadOnlyList<TableRow>> QueryPageAsync(
        string table, string partitionKey, string rowKeyPrefix, string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var end = rowKeyPrefix + '\uffff';
        var filter = afterRowKey is not null && string.CompareOrdinal(afterRowKey, rowKeyPrefix) >= 0
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {afterRowKey} and RowKey lt {end}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rowKeyPrefix} and RowKey lt {end}");

        // A page may hold fewer rows than asked for and still have more after it.
        var rows = new List<TableRow>(take);
        string? continuation = null;
        do
        {
            var page = await QueryAsync(table, filter, continuation, take - rows.Count, cancellationToken);
            rows.AddRange(page.Rows);
            continuation = page.Continuation;
        }
        while (continuation is not null && rows.Count < take);

        return rows;
    }

    public Task<TablePage> QueryPartitionsUpToAsync(
        string table, string maxPartitionKey, string? rowKeyBelow, string? continuation, int take, CancellationToken cancellationToken) =>
        QueryAsync(
            table,
            rowKeyBelow is null
                ? TableClient.CreateQueryFilter($"PartitionKey le {maxPartitionKey}")
                : TableClient.CreateQueryFilter($"PartitionKey le {maxPartitionKey} and RowKey lt {rowKeyBelow}"),
            continuation,
            take,
            cancellationToken);

    public Task<TablePage> QueryOlderThanAsync(
        string table, string? partitionPrefix, string timeProperty, DateTimeOffset before, string? continuation, int take, CancellationToken cancellationToken)
    {
        if (timeProperty.Length == 0 || !timeProperty.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{timeProperty}' is not a property name.", nameof(timeProperty));
        }

        // The property's name is not a value, so it cannot be a parameter of the filter; it is checked above instead.
        var older = timeProperty + " lt " + TableClient.CreateQueryFilter($"{before}");
        var filter = string.IsNullOrEmpty(partitionPrefix)
            ? older
            : TableClient.CreateQueryFilter($"PartitionKey ge {partitionPrefix} and PartitionKey lt {partitionPrefix + '\uffff'}") + " and " + older;
        return QueryAsync(table, filter, continuation, take, cancellationToken);
    }

    private async Task<TablePage> QueryAsync(string table, string filter, string? continuation, int take, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(take, 1, 1000);
        var pages = Table(table).QueryAsync<TableEntity>(filter, size, cancellationToken: cancellationToken).AsPages(continuation, size);
        await foreach (var page in pages)
        {
            return new TablePage(page.Values.Select(ToRow).ToList(), string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new TablePage([], null);
    }

    private TableClient Table(string name) => _tables.GetOrAdd(name, n => service.GetTableClient(namePrefix + n));

    private static ETag Guard(TableOperation operation) =>
        (operation.ETag ?? operation.Row.ETag) is { } etag and not "*" ? new ETag(etag) : ETag.All;

    private static TableWriteStatus? Expected(int status) => status switch
    {
        409 => TableWriteStatus.Conflict,
        412 => TableWriteStatus.PreconditionFailed,
        404 => TableWriteStatus.NotFound,
        _ => null,
    };

    private static TableEntity ToEntity(TableRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (name, value) in row.Properties)
        {
            if (value is not null)
            {
                entity[name] = value;
            }
        }

        return entity;
    }

    private static TableRow ToRow(TableEntity entity)
    {
        var properties = new Dictionary<string, object?>(entity.Count);
        foreach (var (name, value) in entity)
        {
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                properties[name] = value is BinaryData binary ? binary.ToArray() : value;
            }
        }

        return new TableRow(entity.PartitionKey, entity.RowKey, properties) { ETag = entity.ETag.ToString() };
    }
}
