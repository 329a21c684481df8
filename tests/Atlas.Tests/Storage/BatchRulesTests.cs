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
        var big = new string('x', 300_000); // about 600 KB each as UTF-16
        var error = Assert.Throws<ArgumentException>(() => BatchRules.Check(Enumerable.Range(0, 8).Select(i => Insert("p", $"r{i}", big)).ToList()));

        Assert.Contains("4194304", error.Message);
    }

    [Fact]
    public void An_entity_over_one_mebibyte_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchRules.Check([Insert("p", "r", new string('x', 600_000))]));

        Assert.Contains("1048576", error.Message);
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
