namespace Atlas.Functions.Http;

/// <summary>What an HTTP function answers when it succeeds: the status and the body's type (none for 204). The OpenAPI
/// document lists it, with the problem responses every function may give.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RespondsAttribute(int status, Type? body = null) : Attribute
{
    public int Status { get; } = status;

    public Type? Body { get; } = body;
}
