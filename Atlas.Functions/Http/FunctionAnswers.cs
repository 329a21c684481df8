using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Http;

/// <summary>Answering an HTTP invocation from middleware, without running the function: the result is what the
/// function would have returned, and the worker's ASP.NET Core integration writes it.</summary>
public static class FunctionAnswers
{
    public static void Answer(this FunctionContext context, IResult result) => context.GetInvocationResult().Value = result;
}
