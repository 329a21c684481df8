using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Atlas.Functions.Http;

/// <summary>What a parameter converter found wrong with the request, kept on the invocation for
/// <see cref="ProblemResponses"/> to answer with: the field, the rule, the status (400, or 413 for a body too large).</summary>
public sealed record BadInput(string Field, string Rule, int Status)
{
    private static readonly object Key = typeof(BadInput);

    public static ConversionResult Fail(FunctionContext context, string field, string rule, int status = StatusCodes.Status400BadRequest)
    {
        var bad = new BadInput(field, rule, status);
        context.Items[Key] = bad;
        return ConversionResult.Failed(new InvalidOperationException($"{field}: {rule}"));
    }

    public static BadInput? Of(FunctionContext context) => context.Items.TryGetValue(Key, out var found) ? found as BadInput : null;
}
