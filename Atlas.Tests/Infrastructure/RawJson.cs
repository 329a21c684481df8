using System.Text;

namespace Atlas.Tests.Infrastructure;

/// <summary>A request body exactly as written, for the bodies a serializer would never produce.</summary>
public static class RawJson
{
    public static StringContent Of(string json) => new(json, Encoding.UTF8, "application/json");
}
