using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Http;

/// <summary>Cursor pagination for lists: ?after={the last id of the previous page}&amp;limit=1..100 (50 by default).
/// Each list answers {"items": [...], "next": cursor or null}.</summary>
public readonly record struct Paging(string? After, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static bool TryRead(string? after, int? limit, out Paging paging, out IResult problem)
    {
        paging = new Paging(after, limit ?? DefaultLimit);
        problem = Results.Empty;
        if (after is not null && !LifecycleKeys.IsValidId(after))
        {
            problem = Problems.Validation("after", "after is the 'next' cursor of the previous page.");
            return false;
        }

        if (limit is < 1 or > MaxLimit)
        {
            problem = Problems.Validation("limit", $"limit is from 1 to {MaxLimit}.");
            return false;
        }

        return true;
    }
}
