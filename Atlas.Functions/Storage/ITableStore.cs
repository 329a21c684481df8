namespace Atlas.Functions.Storage;

/// <summary>
/// The port to Azure Table storage: the few operations the app needs, with expected outcomes as values
/// (<see cref="AzureTableStore"/> is the adapter; tests wrap it to count calls and inject faults).
/// </summary>
public interface ITableStore
{
    Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken);

    Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken);

    Task<TableWrite> WriteAsync(string table, TableOperation operation, CancellationToken cancellationToken);

    /// <summary>An entity group transaction: all operations apply or none. One partition, at most 100
    /// operations and 4 MiB, checked here because Azurite does not check them and Azure does.</summary>
    Task<TableWrite> ExecuteBatchAsync(
        string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken);

    /// <summary>Rows of one partition, optionally only those whose row key starts with a prefix.</summary>
    Task<TablePage> QueryPartitionAsync(
        string table, string partitionKey, string? rowKeyPrefix, string? continuation, int take,
        CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> rows of one partition whose row key starts with <paramref name="rowKeyPrefix"/>
    /// and sorts after <paramref name="afterRowKey"/>, in key order: a page of a list whose cursor is its last row key.</summary>
    Task<IReadOnlyList<TableRow>> QueryPageAsync(
        string table, string partitionKey, string rowKeyPrefix, string? afterRowKey, int take, CancellationToken cancellationToken);

    /// <summary>Rows of every partition whose key is at most <paramref name="maxPartitionKey"/>, in key order,
    /// and whose row key is below <paramref name="rowKeyBelow"/> when one is given.</summary>
    Task<TablePage> QueryPartitionsUpToAsync(
        string table, string maxPartitionKey, string? rowKeyBelow, string? continuation, int take, CancellationToken cancellationToken);

    /// <summary>Rows whose <paramref name="timeProperty"/> is before <paramref name="before"/>, of the partitions whose
    /// key starts with <paramref name="partitionPrefix"/> (or of every partition): what a retention purge deletes. A
    /// scan (of the prefix's key range, or the whole table), so only for daily jobs.</summary>
    Task<TablePage> QueryOlderThanAsync(
        string table, string? partitionPrefix, string timeProperty, DateTimeOffset before, string? continuation, int take, CancellationToken cancellationToken);
}
