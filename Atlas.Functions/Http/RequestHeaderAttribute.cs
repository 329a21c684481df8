namespace Atlas.Functions.Http;

/// <summary>For the OpenAPI document: a request header the function reads itself (a webhook's signature, an optional
/// Idempotency-Key read by hand). A wrong or missing one is the caller's 400.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestHeaderAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public bool Required { get; init; }
}
