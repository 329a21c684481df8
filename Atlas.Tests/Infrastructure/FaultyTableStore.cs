using Atlas.Functions.Storage;

namespace Atlas.Tests.Infrastructure;

/// <summary>The real table adapter with every call passed through <see cref="Faults"/>.</summary>
public sealed class FaultyTableStore(ITableStore inner, Faults faults) : ITableStore
{
    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) =>
        inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        faults.AroundAsync($"table get {table}/{rowKey}", () => inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<TableWrite> WriteAsync(string table, TableOperation operation, CancellationToken cancellationToken) =>
        faults.AroundAsync($"table {operation.Kind} {table}/{operation.Row.RowKey}", () => inner.WriteAsync(table, operation, cancellationToken));

    public Task<TableWrite> ExecuteBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken) =>
        faults.AroundAsync(
            $"table batch {table} [{string.Join(", ", operations.Select(o => $"{o.Kind} {o.Row.RowKey}"))}]",
            () => inner.ExecuteBatchAsync(table, operations, cancellationToken));

    public Task<TablePage> QueryPartitionAsync(
        string table, string partitionKey, string? rowKeyPrefix, string? continuation, int take, CancellationToken cancellationToken) =>
        faults.AroundAsync($"table query {table} {rowKeyPrefix}", () => inner.QueryPartitionAsync(table, partitionKey, rowKeyPrefix, continuation, take, cancellationToken));

    public Task<IReadOnlyList<TableRow>> QueryPageAsync(
        string table, string partitionKey, string rowKeyPrefix, string? afterRowKey, int take, CancellationToken cancellationToken) =>
        faults.AroundAsync($"table page {table} {rowKeyPrefix}", () => inner.QueryPageAsync(table, partitionKey, rowKeyPrefix, afterRowKey, take, cancellationToken));

    public Task<TablePage> QueryPartitionsUpToAsync(
        string table, string maxPartitionKey, string? rowKeyBelow, string? continuation, int take, CancellationToken cancellationToken) =>
        faults.AroundAsync($"table scan {table}", () => inner.QueryPartitionsUpToAsync(table, maxPartitionKey, rowKeyBelow, continuation, take, cancellationToken));

    public Task<TablePage> QueryOlderThanAsync(
        string table, string? partitionPrefix, string timeProperty, DateTimeOffset before, string? continuation, int take, CancellationToken cancellationToken) =>
        faults.AroundAsync($"table purge scan {table}", () => inner.QueryOlderThanAsync(table, partitionPrefix, timeProperty, before, continuation, take, cancellationToken));
}
