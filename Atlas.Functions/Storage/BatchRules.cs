namespace Atlas.Functions.Storage;

/// <summary>
/// Azure's limits on an entity group transaction. Azurite accepts batches that break them and Azure rejects
/// them, so the adapter enforces them itself and a mistake shows up in tests, not in production.
/// </summary>
public static class BatchRules
{
    public const int MaxOperations = 100;
    public const long MaxBatchBytes = 4 * 1024 * 1024;
    public const long MaxEntityBytes = 1024 * 1024;

    /// <summary>A string property holds at most 64 KiB as UTF-16.</summary>
    public const int MaxStringChars = 32 * 1024;

    /// <summary>Throws when the batch breaks a rule: building such a batch is a bug in the caller.</summary>
    public static void Check(IReadOnlyList<TableOperation> operations)
    {
        if (operations.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one operation.", nameof(operations));
        }

        if (operations.Count > MaxOperations)
        {
            throw new ArgumentException(
                $"A batch holds at most {MaxOperations} operations; this one has {operations.Count}.", nameof(operations));
        }

        var partition = operations[0].Row.PartitionKey;
        if (operations.Any(o => o.Row.PartitionKey != partition))
        {
            throw new ArgumentException("Every operation of a batch must be in one partition.", nameof(operations));
        }

        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var operation in operations)
        {
            if (!rowKeys.Add(operation.Row.RowKey))
            {
                throw new ArgumentException(
                    $"A batch may touch row '{operation.Row.RowKey}' only once.", nameof(operations));
            }

            if (operation.Row.Properties.FirstOrDefault(p => p.Value is string { Length: > MaxStringChars }) is { Key: { } tooLong })
            {
                throw new ArgumentException(
                    $"Property '{tooLong}' of row '{operation.Row.RowKey}' is over {MaxStringChars} characters (64 KiB).", nameof(operations));
            }

            var size = EntitySize(operation.Row);
            if (size > MaxEntityBytes)
            {
                throw new ArgumentException(
                    $"Row '{operation.Row.RowKey}' is {size} bytes; an entity holds at most {MaxEntityBytes}.",
                    nameof(operations));
            }

            total += size;
        }

        if (total > MaxBatchBytes)
        {
            throw new ArgumentException(
                $"The batch is {total} bytes; a batch holds at most {MaxBatchBytes}.", nameof(operations));
        }
    }

    /// <summary>An entity's size as Azure counts it (the formula in "Understanding the Table service data model").</summary>
    public static long EntitySize(TableRow row)
    {
        long size = 4 + ((row.PartitionKey.Length + row.RowKey.Length) * 2L);
        foreach (var (name, value) in row.Properties)
        {
            size += 8 + (name.Length * 2L) + value switch
            {
                string s => 4 + (s.Length * 2L),
                byte[] b => 4 + b.Length,
                Guid => 16,
                bool => 1,
                int => 4,
                _ => 8,
            };
        }

        return size;
    }
}
