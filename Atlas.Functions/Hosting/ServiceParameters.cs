using Microsoft.Azure.Functions.Worker.Converters;

namespace Atlas.Functions.Hosting;

/// <summary>
/// Binds a function's other parameters as minimal APIs would: a value a middleware put on the invocation under its type
/// (the signed-in caller, put there by the access middleware), and any type the app registers as a service. Route
/// values, query values and trigger metadata come from the invocation itself and are left to the worker's own converters.
/// </summary>
internal sealed class ServiceParameters : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        if (context.Source is not null)
        {
            return ValueTask.FromResult(ConversionResult.Unhandled());
        }

        if (context.FunctionContext.Items.TryGetValue(context.TargetType, out var item) && context.TargetType.IsInstanceOfType(item))
        {
            return ValueTask.FromResult(ConversionResult.Success(item));
        }

        return ValueTask.FromResult(context.FunctionContext.InstanceServices.GetService(context.TargetType) is { } service
            ? ConversionResult.Success(service)
            : ConversionResult.Unhandled());
    }
}
