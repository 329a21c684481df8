namespace Atlas.Functions.Storage;

/// <summary>One entity of a table: its keys, its properties (string, long, int, bool, double, DateTimeOffset,
/// Guid, byte[]) and, when read or written, its ETag.</summary>
public sealed record TableRow(string PartitionKey, string RowKey, IReadOnlyDictionary<string, object?> Properties)
{
    public string? ETag { get; init; }

    public string? GetString(string name) => Properties.TryGetValue(name, out var value) ? value as string : null;

    public long GetLong(string name) => Properties.TryGetValue(name, out var value)
        ? value switch { long l => l, int i => i, _ => 0 }
        : 0;

    /// <summary>A number as a double: a whole double (4.0) can come back from storage typed as an integer.</summary>
    public double? GetDouble(string name) => Properties.TryGetValue(name, out var value)
        ? value switch { double d => d, int i => i, long l => l, _ => null }
        : null;

    public DateTimeOffset? GetTime(string name) => Properties.TryGetValue(name, out var value)
        ? value switch { DateTimeOffset t => t, DateTime d => new DateTimeOffset(d, TimeSpan.Zero), _ => null }
        : null;
}

public enum TableWriteStatus
{
    Ok,

    /// <summary>An insert found the row already there (409).</summary>
    Conflict,

    /// <summary>The ETag no longer matches: someone else wrote first (412).</summary>
    PreconditionFailed,

    /// <summary>The row to replace, merge or delete is not there (404).</summary>
    NotFound,
}

/// <summary>The outcome of a write. Expected storage outcomes are values; only faults are exceptions. A batch that
/// failed says which of its operations (by index) did.</summary>
public sealed record TableWrite(TableWriteStatus Status, string? ETag = null, int? FailedOperation = null)
{
    public bool Succeeded => Status == TableWriteStatus.Ok;
}

public enum TableOperationKind
{
    Insert,
    Replace,
    Merge,
    Upsert,
    Delete,
}

/// <summary>One operation of an entity group transaction. Replace, Merge and Delete carry the ETag to guard
/// on ("*" for any).</summary>
public sealed record TableOperation(TableOperationKind Kind, TableRow Row, string? ETag = null)
{
    public static TableOperation Insert(TableRow row) => new(TableOperationKind.Insert, row);

    public static TableOperation Replace(TableRow row, string etag) => new(TableOperationKind.Replace, row, etag);

    /// <summary>Updates the given properties and keeps the others.</summary>
    public static TableOperation Merge(TableRow row, string etag) => new(TableOperationKind.Merge, row, etag);

    public static TableOperation Upsert(TableRow row) => new(TableOperationKind.Upsert, row);

    public static TableOperation Delete(string partitionKey, string rowKey, string etag = "*") =>
        new(TableOperationKind.Delete, new TableRow(partitionKey, rowKey, EmptyProperties), etag);

    private static readonly IReadOnlyDictionary<string, object?> EmptyProperties = new Dictionary<string, object?>();
}

/// <summary>One page of a query and the opaque token for the next, null on the last page.</summary>
public sealed record TablePage(IReadOnlyList<TableRow> Rows, string? Continuation);
