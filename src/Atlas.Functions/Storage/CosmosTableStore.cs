using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos.Table;

namespace Atlas.Functions.Storage;

/// <summary>
/// The table port over Microsoft.Azure.Cosmos.Table, which speaks Azure Table storage and Azurite. Every table
/// name gets the configured prefix, so several apps (or test runs) can share one account.
/// </summary>
public sealed class CosmosTableStore(CloudTableClient client, string namePrefix = "") : ITableStore
{
    public static CosmosTableStore Connect(string connectionString, string namePrefix = "")
    {
        var client = CloudStorageAccount.Parse(connectionString).CreateCloudTableClient(new TableClientConfiguration());

        // A few quick retries for a passing fault; callers retry the rest (commands, triggers), so no long waits here.
        client.DefaultRequestOptions.RetryPolicy = new LinearRetry(TimeSpan.FromMilliseconds(200), 2);
        return new CosmosTableStore(client, namePrefix);
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) =>
        Table(table).CreateIfNotExistsAsync(null, null, cancellationToken);

    public async Task<TableRow?> GetAsync(
        string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var result = await Table(table).ExecuteAsync(
            Microsoft.Azure.Cosmos.Table.TableOperation.Retrieve<DynamicTableEntity>(partitionKey, rowKey),
            null, null, cancellationToken);
        return result.Result is DynamicTableEntity entity ? ToRow(entity) : null;
    }

    public async Task<TableWrite> WriteAsync(string table, TableOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Table(table).ExecuteAsync(ToSdk(operation), null, null, cancellationToken);
            return new TableWrite(TableWriteStatus.Ok, result.Etag);
        }
        catch (StorageException e) when (Expected(e) is { } status)
        {
            return new TableWrite(status);
        }
    }

    public async Task<TableWrite> ExecuteBatchAsync(
        string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken)
    {
        BatchRules.Check(operations);
        var batch = new TableBatchOperation();
        foreach (var operation in operations)
        {
            batch.Add(ToSdk(operation));
        }

        try
        {
            var results = await Table(table).ExecuteBatchAsync(batch, null, null, cancellationToken);
            return new TableWrite(TableWriteStatus.Ok, results[0].Etag);
        }
        catch (StorageException e) when (Expected(e) is { } status)
        {
            return new TableWrite(status);
        }
    }

    public Task<TablePage> QueryPartitionAsync(
        string table, string partitionKey, string? rowKeyPrefix, string? continuation, int take,
        CancellationToken cancellationToken)
    {
        var filter = TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey);
        if (!string.IsNullOrEmpty(rowKeyPrefix))
        {
            // A prefix is the range [prefix, prefix + highest char).
            filter = TableQuery.CombineFilters(
                filter,
                TableOperators.And,
                TableQuery.CombineFilters(
                    TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, rowKeyPrefix),
                    TableOperators.And,
                    TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThan, rowKeyPrefix + '\uffff')));
        }

        return QueryAsync(table, filter, continuation, take, cancellationToken);
    }

    public async Task<IReadOnlyList<TableRow>> QueryPageAsync(
        string table, string partitionKey, string rowKeyPrefix, string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var from = afterRowKey is not null && string.CompareOrdinal(afterRowKey, rowKeyPrefix) >= 0
            ? TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThan, afterRowKey)
            : TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, rowKeyPrefix);
        var filter = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey),
            TableOperators.And,
            TableQuery.CombineFilters(
                from,
                TableOperators.And,
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThan, rowKeyPrefix + '\uffff')));

        // A segment may hold fewer rows than asked for and still have more after it.
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
        string table, string maxPartitionKey, string? rowKeyBelow, string? continuation, int take, CancellationToken cancellationToken)
    {
        var filter = TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.LessThanOrEqual, maxPartitionKey);
        if (rowKeyBelow is not null)
        {
            filter = TableQuery.CombineFilters(
                filter, TableOperators.And, TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThan, rowKeyBelow));
        }

        return QueryAsync(table, filter, continuation, take, cancellationToken);
    }

    private async Task<TablePage> QueryAsync(
        string table, string filter, string? continuation, int take, CancellationToken cancellationToken)
    {
        var query = new TableQuery<DynamicTableEntity>().Where(filter).Take(Math.Clamp(take, 1, 1000));
        var segment = await Table(table).ExecuteQuerySegmentedAsync(
            query, DecodeToken(continuation), null, null, cancellationToken);
        return new TablePage(segment.Results.Select(ToRow).ToList(), EncodeToken(segment.ContinuationToken));
    }

    private CloudTable Table(string name) => client.GetTableReference(namePrefix + name);

    private static TableWriteStatus? Expected(StorageException e) => e.RequestInformation?.HttpStatusCode switch
    {
        (int)HttpStatusCode.Conflict => TableWriteStatus.Conflict,
        (int)HttpStatusCode.PreconditionFailed => TableWriteStatus.PreconditionFailed,
        (int)HttpStatusCode.NotFound => TableWriteStatus.NotFound,
        _ => null,
    };

    private static Microsoft.Azure.Cosmos.Table.TableOperation ToSdk(TableOperation operation)
    {
        var entity = ToEntity(operation.Row, operation.ETag);
        return operation.Kind switch
        {
            TableOperationKind.Insert => Microsoft.Azure.Cosmos.Table.TableOperation.Insert(entity, echoContent: false),
            TableOperationKind.Replace => Microsoft.Azure.Cosmos.Table.TableOperation.Replace(entity),
            TableOperationKind.Merge => Microsoft.Azure.Cosmos.Table.TableOperation.Merge(entity),
            TableOperationKind.Upsert => Microsoft.Azure.Cosmos.Table.TableOperation.InsertOrReplace(entity),
            TableOperationKind.Delete => Microsoft.Azure.Cosmos.Table.TableOperation.Delete(entity),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown table operation."),
        };
    }

    private static DynamicTableEntity ToEntity(TableRow row, string? etag)
    {
        var properties = new Dictionary<string, EntityProperty>(row.Properties.Count);
        foreach (var (name, value) in row.Properties)
        {
            if (value is not null)
            {
                properties[name] = EntityProperty.CreateEntityPropertyFromObject(value);
            }
        }

        return new DynamicTableEntity(row.PartitionKey, row.RowKey, etag ?? row.ETag, properties);
    }

    private static TableRow ToRow(DynamicTableEntity entity)
    {
        var properties = new Dictionary<string, object?>(entity.Properties.Count);
        foreach (var (name, property) in entity.Properties)
        {
            properties[name] = property.PropertyType == EdmType.DateTime ? property.DateTimeOffsetValue : property.PropertyAsObject;
        }

        return new TableRow(entity.PartitionKey, entity.RowKey, properties) { ETag = entity.ETag };
    }

    private static string? EncodeToken(TableContinuationToken? token) => token is null
        ? null
        : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{token.NextPartitionKey}\n{token.NextRowKey}"));

    private static TableContinuationToken? DecodeToken(string? continuation)
    {
        if (string.IsNullOrEmpty(continuation))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(continuation)).Split('\n', 2);
        return new TableContinuationToken
        {
            NextPartitionKey = parts[0],
            NextRowKey = parts.Length > 1 ? parts[1] : null,
            TargetLocation = StorageLocation.Primary,
        };
    }
}
