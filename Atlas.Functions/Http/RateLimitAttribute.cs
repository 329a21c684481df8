namespace Atlas.Functions.Http;

/// <summary>Puts an HTTP function under a rate-limit policy (<see cref="Auth.RateLimits"/>): sign-in per client address,
/// location reports per caller.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RateLimitAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}
