using System.Text;
using System.Text.Json;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Rpc;
using Azure.Storage.Queues.Models;
using Google.Protobuf;

namespace Atlas.LocalHost.Queues;

/// <summary>A queue message as the worker receives it: the trigger input and the WebJobs binding data.</summary>
internal static class QueueTriggerData
{
    public static FunctionInvocation ToInvocation(FunctionDescriptor function, QueueTriggerBinding trigger, string queueName, QueueMessage message)
    {
        var text = TryGetText(message.Body);
        var metadata = new Dictionary<string, TypedData>
        {
            // Binding data as the WebJobs extension names it: parameters with these names bind to them.
            ["DequeueCount"] = TypedDataValues.Json(message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["ExpirationTime"] = Timestamp(message.ExpiresOn ?? DateTimeOffset.MaxValue),
            ["Id"] = TypedDataValues.String(message.MessageId),
            ["InsertionTime"] = Timestamp(message.InsertedOn ?? DateTimeOffset.UtcNow),
            ["NextVisibleTime"] = Timestamp(message.NextVisibleOn ?? DateTimeOffset.MaxValue),
            ["PopReceipt"] = TypedDataValues.String(message.PopReceipt),
        };

        if (text is not null)
        {
            metadata["QueueTrigger"] = TypedDataValues.String(text);
        }

        return new FunctionInvocation(
            function.Name,
            FunctionInvocation.NewId(),
            $"New queue message detected on '{queueName}'.",
            [new ParameterBinding { Name = trigger.Name, Data = Input(trigger, message, text) }],
            metadata);
    }

    private static TypedData Input(QueueTriggerBinding trigger, QueueMessage message, string? text)
    {
        // QueueMessage / BinaryData parameters: the SDK marks the binding supportsDeferredBinding and the
        // worker's converter reads the message from this JSON.
        if (trigger.SupportsDeferredBinding)
        {
            var content = JsonSerializer.SerializeToUtf8Bytes(new
            {
                message.MessageId,
                message.PopReceipt,
                MessageText = text ?? string.Empty,
                message.DequeueCount,
                message.NextVisibleOn,
                message.InsertedOn,
                message.ExpiresOn,
            });

            return new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = ByteString.CopyFrom(content),
                },
            };
        }

        return string.Equals(trigger.DataType, "binary", StringComparison.OrdinalIgnoreCase) || text is null
            ? new TypedData { Bytes = ByteString.CopyFrom(message.Body.ToMemory().Span) }
            : TypedDataValues.String(text);
    }

    private static TypedData Timestamp(DateTimeOffset value) => TypedDataValues.Json(JsonSerializer.Serialize(value));

    private static string? TryGetText(BinaryData body)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body.ToMemory().Span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
