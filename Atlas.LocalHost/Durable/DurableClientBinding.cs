using System.Text.Json;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// The input of every <c>durableClient</c> binding: JSON from which the worker's DurableTaskClientConverter builds a
/// DurableTaskClient on the host's Durable gRPC API. Empty until the engine has published its address.
/// </summary>
internal sealed class DurableClientBinding
{
    private const string BindingType = "durableClient";

    private volatile string? _payload;

    public static IEnumerable<string> NamesIn(FunctionDescriptor function) =>
        function.Metadata.Bindings
            .Where(binding => string.Equals(binding.Value.Type, BindingType, StringComparison.OrdinalIgnoreCase)
                && binding.Value.Direction == BindingInfo.Types.Direction.In)
            .Select(binding => binding.Key);

    public void Publish(string taskHub, Uri rpcAddress, Uri httpBaseAddress)
    {
        // Worker.Extensions.DurableTask 1.21 reads every field: without maxGrpcMessageSizeInBytes its client's limit
        // is 0 and every call fails with ResourceExhausted, and grpcHttpClientTimeout is a string holding a JSON
        // TimeSpan. The size limit is the host's choice; this one matches the FunctionRpc channel's.
        _payload = JsonSerializer.Serialize(new
        {
            taskHubName = taskHub,
            connectionName = (string?)null,
            rpcBaseUrl = rpcAddress.AbsoluteUri.TrimEnd('/'),
            requiredQueryStringParameters = string.Empty,
            httpBaseUrl = new Uri(httpBaseAddress, "runtime/webhooks/durabletask").AbsoluteUri,
            maxGrpcMessageSizeInBytes = int.MaxValue,
            grpcHttpClientTimeout = JsonSerializer.Serialize(TimeSpan.FromSeconds(100)),
        });
    }

    /// <summary>The input data for each of the function's <c>durableClient</c> bindings.</summary>
    public IEnumerable<ParameterBinding> InputsFor(FunctionDescriptor function) =>
        _payload is { } payload
            ? NamesIn(function).Select(name => new ParameterBinding { Name = name, Data = TypedDataValues.String(payload) })
            : [];
}
