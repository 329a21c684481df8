using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Atlas.Functions.Http;

/// <summary>The parameter is the request's Idempotency-Key header, or null when there is none (the function checks it:
/// some require it, others honour it when given).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class IdempotencyKeyAttribute() : InputConverterAttribute(typeof(IdempotencyKeyConverter))
{
    /// <summary>For the OpenAPI document: the function refuses a request without one.</summary>
    public bool Required { get; init; }
}

internal sealed class IdempotencyKeyConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context) =>
        ValueTask.FromResult(context.FunctionContext.GetHttpContext()?.Request.Headers[IdempotencyKeys.Header].ToString() is { } key
            ? ConversionResult.Success(key.Length > 0 ? key : null)
            : ConversionResult.Unhandled());
}
