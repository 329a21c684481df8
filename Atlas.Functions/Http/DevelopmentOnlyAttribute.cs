namespace Atlas.Functions.Http;

/// <summary>The function serves only in the Development environment (elsewhere it answers 404 as a path nothing
/// serves), so the OpenAPI document lists it only there.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DevelopmentOnlyAttribute : Attribute;
