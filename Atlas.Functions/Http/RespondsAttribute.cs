namespace Atlas.Functions.Http;

/// <summary>
/// An answer an HTTP function gives, for the OpenAPI document: the status and the body's type (none for 204). A status
/// of 400 or more is a problem+json answer the function gives beyond those every function of its kind may give (the
/// document adds 400 for input, 401/403 for a token, 404 for a route value, 413, 422, 429 and 5XX by themselves):
/// 409 when a resource's state refuses the request, 404 for a resource not named in the route, and so on.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RespondsAttribute(int status, Type? body = null) : Attribute
{
    public int Status { get; } = status;

    public Type? Body { get; } = body;

    /// <summary>The media type when it is not JSON (text/html, text/javascript): the body is then text.</summary>
    public string? ContentType { get; init; }

    /// <summary>When the answer is given, if the status alone does not say it.</summary>
    public string? Description { get; init; }
}
