namespace Atlas.Functions.Ops;

/// <summary>An admin action: each call that reaches the function is written to the <see cref="AuditLog"/> with the
/// answer it got (<see cref="AuditTrail"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AuditedAttribute(string action) : Attribute
{
    public string Action { get; } = action;
}
