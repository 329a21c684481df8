using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Invocation;

/// <summary>TypedData built from plain values, and printed back for logs.</summary>
internal static class TypedDataValues
{
    public static TypedData String(string value) => new() { String = value };

    public static TypedData Json(string json) => new() { Json = json };

    public static string Describe(TypedData data) => data.DataCase switch
    {
        TypedData.DataOneofCase.String => data.String,
        TypedData.DataOneofCase.Json => data.Json,
        TypedData.DataOneofCase.Int => data.Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TypedData.DataOneofCase.Double => data.Double.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TypedData.DataOneofCase.Bytes => $"<{data.Bytes.Length} bytes>",
        _ => data.DataCase.ToString(),
    };
}
