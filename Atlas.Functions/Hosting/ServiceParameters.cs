using Atlas.Functions.Auth;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Atlas.Functions.Hosting;

/// <summary>
/// Binds a function's other parameters as minimal APIs would: the signed-in <see cref="Caller"/> (put on the invocation
/// by <see cref="AccessControl"/>), and any type the app registers as a service. Route values, query values and
/// trigger metadata come from the invocation itself and are left to the worker's own converters.
/// </summary>
internal sealed class ServiceParameters : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        if (context.Source is not null)
        {
            return ValueTask.FromResult(ConversionResult.Unhandled());
        }

        if (context.TargetType == typeof(Caller))
        {
            return ValueTask.FromResult(AccessControl.CallerOf(context.FunctionContext) is { } caller
                ? ConversionResult.Success(caller)
                : ConversionResult.Unhandled());
        }

        return ValueTask.FromResult(context.FunctionContext.InstanceServices.GetService(context.TargetType) is { } service
            ? ConversionResult.Success(service)
            : ConversionResult.Unhandled());
    }
}
