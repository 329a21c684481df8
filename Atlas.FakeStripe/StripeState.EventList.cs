using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Atlas.FakeStripe;

// GET /v1/events as Stripe answers it: newest first (by created, then the later-made first), a page of `limit` (1 to
// 100, 10 by default) after `starting_after` or before `ending_before`, filtered by `created` (or created[gt|gte|lt|lte]),
// `type` (a `*` matches any part) or `types[]` (up to 20), and only events of the last 30 days, as Stripe keeps them.
public sealed partial class StripeState
{
    /// <summary>How long Stripe lists an event after it was created.</summary>
    public static readonly TimeSpan EventRetention = TimeSpan.FromDays(30);

    public JsonObject ListEvents(Form query)
    {
        var limit = query.Optional("limit") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100
                ? n
                : throw StripeError.Invalid("Invalid integer: limit must be between 1 and 100.", "limit", "parameter_invalid_integer")
            : 10;
        var after = query.Optional("starting_after");
        var before = query.Optional("ending_before");
        if (after is not null && before is not null)
        {
            throw StripeError.Invalid("You may only specify one of these parameters: ending_before, starting_after.", "ending_before");
        }

        var type = query.Optional("type");
        var types = query.Array("types");
        if (type is not null && types.Length > 0)
        {
            throw StripeError.Invalid("You may only specify one of these parameters: type, types.", "types");
        }

        if (types.Length > 20)
        {
            throw StripeError.Invalid("You may pass at most 20 types.", "types");
        }

        var patterns = (type is null ? types : [type]).Select(TypePattern).ToList();
        var created = Created(query);
        lock (_gate)
        {
            ExpireLapsed();
            var oldest = clock.GetUtcNow() - EventRetention;
            var listed = _events
                .Select((e, index) => (Event: e, Index: index))
                .Where(p => DateTimeOffset.FromUnixTimeSeconds((long)p.Event["created"]!) >= oldest)
                .OrderByDescending(p => (long)p.Event["created"]!)
                .ThenByDescending(p => p.Index)
                .Select(p => p.Event)
                .Where(e => (patterns.Count == 0 || patterns.Any(p => p.IsMatch((string)e["type"]!))) && created((long)e["created"]!))
                .ToList();

            List<JsonObject> page;
            bool more;
            if (before is not null)
            {
                var at = Position(listed, before, "ending_before");
                page = listed.Take(at).TakeLast(limit).ToList();
                more = at > page.Count;
            }
            else
            {
                var from = after is null ? 0 : Position(listed, after, "starting_after") + 1;
                page = listed.Skip(from).Take(limit).ToList();
                more = listed.Count > from + page.Count;
            }

            return new JsonObject
            {
                ["object"] = "list",
                ["url"] = "/v1/events",
                ["has_more"] = more,
                ["data"] = new JsonArray([.. page.Select(e => e.DeepClone())]),
            };
        }
    }

    /// <summary>Where the cursor's event is in the list; an id that is no event is an error, as at Stripe.</summary>
    private int Position(List<JsonObject> listed, string id, string param)
    {
        var at = listed.FindIndex(e => (string?)e["id"] == id);
        if (at >= 0)
        {
            return at;
        }

        // An event filtered out still places the page: where it would stand by its creation.
        if (_objects.TryGetValue(id, out var e) && (string?)e["object"] == "event")
        {
            var created = (long)e["created"]!;
            var index = _events.IndexOf(e);
            return listed.Count(other => (long)other["created"]! > created || ((long)other["created"]! == created && _events.IndexOf(other) > index));
        }

        throw StripeError.Missing("event", id, param);
    }

    private static Regex TypePattern(string type) =>
        new("^" + Regex.Escape(type).Replace("\\*", "[^.]+", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static Func<long, bool> Created(Form query)
    {
        long? Bound(string key) => query.Optional(key) is { } text
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw StripeError.Invalid($"Invalid integer: {key}", key, "parameter_invalid_integer")
            : null;

        var exactly = Bound("created");
        var gt = Bound("created[gt]");
        var gte = Bound("created[gte]");
        var lt = Bound("created[lt]");
        var lte = Bound("created[lte]");
        return t => (exactly is null || t == exactly) && (gt is null || t > gt) && (gte is null || t >= gte)
            && (lt is null || t < lt) && (lte is null || t <= lte);
    }
}
