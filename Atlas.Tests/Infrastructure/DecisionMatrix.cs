using Atlas.Core.Common;

namespace Atlas.Tests.Infrastructure;

/// <summary>A decider's state × command table, written out in the test: each cell "a" (accepted), "u" (unchanged)
/// or the rejection code.</summary>
public static class DecisionMatrix
{
    public static TheoryData<string, string> Cells(IEnumerable<string> states, IReadOnlyList<string> commands)
    {
        var data = new TheoryData<string, string>();
        foreach (var state in states)
        {
            foreach (var command in commands)
            {
                data.Add(state, command);
            }
        }

        return data;
    }

    /// <summary>The table has a row for every status, a column for every command, and a cell in each.</summary>
    public static void AssertComplete<TStatus>(IEnumerable<string> states, IEnumerable<string> commands, IReadOnlyList<string> order, IReadOnlyDictionary<string, string[]> rows)
        where TStatus : struct, Enum
    {
        Assert.Equal(Enum.GetValues<TStatus>().Length, states.Count());
        Assert.Equal(order.Order(), commands.Order());
        Assert.All(rows.Values, row => Assert.Equal(order.Count, row.Length));
        Assert.Equal(states.Order(), rows.Keys.Order());
    }

    public static string Outcome<TState>(Decision<TState> decision)
        where TState : class => decision switch
        {
            Decision<TState>.Accepted => "a",
            Decision<TState>.Unchanged => "u",
            Decision<TState>.Rejected r => r.Rejection.Code,
            _ => "?",
        };
}
