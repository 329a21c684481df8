namespace Atlas.Functions.Http;

/// <summary>Of these properties of the record, exactly one is given (not null): the OpenAPI document says so with
/// <c>oneOf</c>, as the endpoint's own check does.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExactlyOneAttribute(params string[] properties) : Attribute
{
    public IReadOnlyList<string> Properties { get; } = properties;
}
