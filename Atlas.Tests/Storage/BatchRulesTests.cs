using Atlas.Functions.Storage;

namespace Atlas.Tests.Storage;

public sealed class BatchRulesTests
{
    private static TableOperation Insert(string pk, string rk, string value = "") =>
        TableOperation.Insert(new TableRow(pk, rk, new Dictionary<string, object?> { ["V"] = value }));

    [Fact]
    public void A_batch_of_one_hundred_in_one_partition_passes()
    {
        BatchRules.Check(Enumerable.Range(0, 100).Select(i => Insert("p", $"r{i}")).ToList());
    }

    [Fact]
    public void A_batch_of_one_hundred_and_one_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchRules.Check(Enumerable.Range(0, 101).Select(i => Insert("p", $"r{i}")).ToList()));

        Assert.Contains("at most 100", error.Message);
    }

    [Fact]
    public void A_batch_over_four_mebibytes_is_refused()
    {
        var big = Enumerable.Range(0, 9).ToDictionary(i => $"P{i}", object? (_) => new string('x', 30_000)); // ~540 KB each
        var error = Assert.Throws<ArgumentException>(() => BatchRules.Check(
            Enumerable.Range(0, 8).Select(i => TableOperation.Insert(new TableRow("p", $"r{i}", big))).ToList()));

        Assert.Contains("4194304", error.Message);
    }

    [Fact]
    public void An_entity_over_one_mebibyte_is_refused()
    {
        var properties = Enumerable.Range(0, 20).ToDictionary(i => $"P{i}", object? (_) => new string('x', 30_000));
        var error = Assert.Throws<ArgumentException>(() => BatchRules.Check([TableOperation.Insert(new TableRow("p", "r", properties))]));

        Assert.Contains("1048576", error.Message);
    }

    [Fact]
    public void A_string_property_over_64_KiB_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchRules.Check([Insert("p", "r", new string('x', 32 * 1024 + 1))]));

        Assert.Contains("'V'", error.Message);
    }

    [Fact]
    public void The_same_row_twice_in_one_batch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BatchRules.Check([Insert("p", "r"), Insert("p", "r")]));
    }

    [Fact]
    public void An_empty_batch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BatchRules.Check([]));
    }
}
