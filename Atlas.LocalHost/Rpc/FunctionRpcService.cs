using Atlas.LocalHost.Logging;
using Grpc.Core;

namespace Atlas.LocalHost.Rpc;

/// <summary>The host side of <c>FunctionRpc.EventStream</c>: the worker dials in and says StartStream first.</summary>
internal sealed class FunctionRpcService(WorkerStreamRegistry registry, HostLog log) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream,
        IServerStreamWriter<StreamingMessage> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            log.Warn("Host.Rpc", "A worker opened a stream without StartStream; closing it.");
            return;
        }

        var channel = new WorkerChannel(requestStream.Current.StartStream.WorkerId);
        if (!registry.TryConnect(channel))
        {
            log.Warn("Host.Rpc", $"Worker {channel.WorkerId} is not one this host started; closing its stream.");
            return;
        }

        await channel.RunAsync(requestStream, responseStream, context.CancellationToken).ConfigureAwait(false);
    }
}
