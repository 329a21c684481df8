using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Atlas.Functions.Http;

/// <summary>What a parameter converter found wrong with the request, kept on the invocation for
/// <see cref="RequestInputs"/> to answer with: each field with its rule, and the status (400, or 413 for a body too large).</summary>
public sealed record BadInput(IReadOnlyDictionary<string, string[]> Errors, int Status)
{
    private static readonly object Key = typeof(BadInput);

    public static ConversionResult Fail(FunctionContext context, string field, string rule, int status = StatusCodes.Status400BadRequest) =>
        Fail(context, new Dictionary<string, string[]> { [field] = [rule] }, status);

    public static ConversionResult Fail(FunctionContext context, IReadOnlyDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    {
        context.Items[Key] = new BadInput(errors, status);
        return ConversionResult.Failed(new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))));
    }

    public static BadInput? Of(FunctionContext context) => context.Items.TryGetValue(Key, out var found) ? found as BadInput : null;
}
