using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Atlas.Functions.Http;

/// <summary>The parameter is the request body, read as JSON by <see cref="AtlasJson"/>'s rules. A body that is not JSON,
/// has a field of the wrong type or one the endpoint does not know, leaves out a field its record marks required
/// (<see cref="RequiredFields"/>), or is too large, is the caller's 400 (or 413) naming the field, answered by
/// <see cref="RequestInputs"/>; the function does not run.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class BodyAttribute() : InputConverterAttribute(typeof(JsonBodyConverter));

internal sealed class JsonBodyConverter : IInputConverter
{
    public async ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        var request = context.FunctionContext.GetHttpContext()?.Request;
        if (request is null)
        {
            return ConversionResult.Unhandled();
        }

        try
        {
            // Read whole, and only up to the limit: a body sent without a length is cut off there.
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            for (int read; (read = await request.Body.ReadAsync(chunk, context.FunctionContext.CancellationToken)) > 0;)
            {
                if (buffer.Length + read > RequestSizeLimit.MaxBytes)
                {
                    return BadInput.Fail(context.FunctionContext, "body", "The body is larger than this API accepts.", StatusCodes.Status413PayloadTooLarge);
                }

                buffer.Write(chunk, 0, read);
            }

            if (buffer.Length == 0)
            {
                return BadInput.Fail(context.FunctionContext, "body", "A JSON body is required.");
            }

            buffer.Position = 0;
            var body = await JsonSerializer.DeserializeAsync(buffer, context.TargetType, AtlasJson.Options, context.FunctionContext.CancellationToken);
            if (body is null)
            {
                return BadInput.Fail(context.FunctionContext, "body", "A JSON object is required, not null.");
            }

            var missing = RequiredFields.Missing(body, AtlasJson.Options);
            return missing.Count > 0 ? BadInput.Fail(context.FunctionContext, missing) : ConversionResult.Success(body);
        }
        catch (JsonException e)
        {
            return BadInput.Fail(context.FunctionContext, Field(e.Path), FirstLine(e.Message));
        }
    }

    private static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
