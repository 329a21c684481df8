using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

// The state as one JSON document, so a fake run by `./atlas run` keeps its customers, cards and intents across restarts
// (Atlas's own data survives in Azurite, and must find them again).
public sealed partial class StripeState
{
    public JsonObject Snapshot()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["objects"] = new JsonArray([.. _objects.Values.Select(o => o.DeepClone())]),
                ["cards"] = new JsonObject(_cardTokens.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["events"] = new JsonArray([.. _events.Select(e => (JsonNode)JsonValue.Create((string)e["id"]!))]),
            };
        }
    }

    public void Restore(JsonObject snapshot)
    {
        lock (_gate)
        {
            foreach (var obj in snapshot["objects"]!.AsArray())
            {
                _objects[(string)obj!["id"]!] = (JsonObject)obj.DeepClone();
            }

            foreach (var (method, token) in snapshot["cards"]!.AsObject())
            {
                _cardTokens[method] = (string)token!;
            }

            _events.AddRange(snapshot["events"]!.AsArray().Select(id => _objects[(string)id!]));
        }
    }
}
