using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Functions.Lifecycles;

/// <summary>How instances are laid out in storage: one partition per instance, a state row and outbox rows.</summary>
public static partial class LifecycleKeys
{
    public const string Table = "Lifecycles";
    public const string StateRow = "state";
    public const string OutboxPrefix = "outbox-";

    public static string Partition(string type, string id)
    {
        if (!IdPattern().IsMatch(type) || !IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"Lifecycle keys are 1-128 of [A-Za-z0-9_-]: '{type}', '{id}'.");
        }

        return $"{type}|{id}";
    }

    /// <summary>What every partition of a type starts with.</summary>
    public static string PartitionPrefix(string type) => Partition(type, "_")[..^1];

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static string OutboxRow(long version, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{OutboxPrefix}{version:D12}-{index:D3}");

    /// <summary>Stable across retries of the same transition, so receivers (and Stripe) can dedupe by it.</summary>
    public static string EffectId(string type, string id, long version, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{type}:{id}:{version}:{index}");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex IdPattern();
}
