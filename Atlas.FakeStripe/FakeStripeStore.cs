using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

/// <summary>Keeps a fake's state (objects and idempotency replays) in a file of a folder, written after each change
/// (to a temporary file, then moved over the old one, so a stopped fake never leaves half a file).</summary>
public sealed class FakeStripeStore(string folder)
{
    private readonly Lock _gate = new();

    private string File => Path.Combine(folder, "state.json");

    public JsonObject? Load() =>
        System.IO.File.Exists(File) ? JsonNode.Parse(System.IO.File.ReadAllText(File))!.AsObject() : null;

    public void Save(JsonObject state)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(folder);
            var temporary = File + ".tmp";
            System.IO.File.WriteAllText(temporary, state.ToJsonString());
            System.IO.File.Move(temporary, File, overwrite: true);
        }
    }
}
