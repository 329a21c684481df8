namespace Atlas.Functions.Http;

/// <summary>For the OpenAPI document: the function reads its body itself (a webhook checks a signature over the raw
/// bytes first), in this media type. A body it cannot read is the caller's 400, one too large 413.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RawBodyAttribute(string contentType, string description) : Attribute
{
    public string ContentType { get; } = contentType;

    public string Description { get; } = description;
}
