using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Context.Features;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Http;

/// <summary>
/// Worker middleware, last before an HTTP function runs: reads its parameters now (the worker keeps the result for
/// the call), so a body that could not be read is answered with its 400 and the function never runs. Left to the
/// call, a parameter the request gave no value for is silently null.
/// </summary>
public sealed class RequestInputs : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not null && context.Features.Get<IFunctionInputBindingFeature>() is { } binding)
        {
            await binding.BindFunctionInputAsync(context);
            if (BadInput.Of(context) is { } bad)
            {
                context.Answer(bad.Status == StatusCodes.Status413PayloadTooLarge
                    ? Results.Problem(statusCode: bad.Status, title: "The request is too large.", detail: bad.Errors.Values.First()[0])
                    : Problems.Validation(bad.Errors.ToDictionary()));
                return;
            }
        }

        await next(context);
    }
}
