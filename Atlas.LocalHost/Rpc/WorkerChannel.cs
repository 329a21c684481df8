using System.Collections.Concurrent;
using System.Threading.Channels;
using GrpcException = Grpc.Core.RpcException;

namespace Atlas.LocalHost.Rpc;

/// <summary>
/// One worker's EventStream: sends messages, matches answers to requests (by request id) and invocations
/// (by invocation id), and hands everything else (logs) to <see cref="Received"/>.
/// </summary>
internal sealed class WorkerChannel(string workerId)
{
    // gRPC allows one write at a time on a stream: every send goes through this queue.
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _requests = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Ends the gRPC call from this side when the host closes the channel: a worker that does not exit with its
    // host (one run in-process) would otherwise keep the stream, and the server's shutdown, waiting.
    private readonly CancellationTokenSource _hangUp = new();
    private Exception? _closeReason;

    public string WorkerId { get; } = workerId;

    /// <summary>Completes when the stream has ended; nothing sent after that is answered.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Messages that answer nothing: logs, and anything this host does not handle.</summary>
    public event Action<StreamingMessage>? Received;

    /// <summary>Sends a request and returns the worker's message that echoes its request id.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[request.RequestId] = answer;
        try
        {
            Send(request);
            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requests.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Sends an invocation; the task ends with the worker's InvocationResponse for it.</summary>
    public Task<InvocationResponse> InvokeAsync(InvocationRequest request)
    {
        var response = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[request.InvocationId] = response;
        try
        {
            Send(new StreamingMessage { InvocationRequest = request });
        }
        catch (WorkerUnavailableException)
        {
            _invocations.TryRemove(request.InvocationId, out _);
            throw;
        }

        return response.Task;
    }

    public bool IsInvocationPending(string invocationId) => _invocations.ContainsKey(invocationId);

    public void Send(StreamingMessage message)
    {
        // After Close the writer is completed, so a message either goes out or fails here; one queued just
        // before Close has its waiter failed by Close.
        if (!_outbound.Writer.TryWrite(message))
        {
            throw Unavailable();
        }
    }

    /// <summary>Pumps the stream until either side ends it, then fails whatever is still waiting.</summary>
    public async Task RunAsync(
        Grpc.Core.IAsyncStreamReader<StreamingMessage> reader,
        Grpc.Core.IServerStreamWriter<StreamingMessage> writer,
        CancellationToken cancellationToken)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _hangUp.Token);
        var writing = WriteAllAsync(writer, ended.Token);
        try
        {
            while (await reader.MoveNext(ended.Token).ConfigureAwait(false))
            {
                Dispatch(reader.Current);
            }

            Close(new WorkerUnavailableException($"Worker {WorkerId} ended its stream."));
        }
        catch (Exception exception) when (exception is IOException or GrpcException or OperationCanceledException)
        {
            // A killed worker resets the HTTP/2 stream; that is the normal way for this loop to end.
            Close(new WorkerUnavailableException($"Worker {WorkerId}'s stream broke: {exception.Message}"));
        }

        await writing.ConfigureAwait(false);
    }

    public void Close(Exception reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _outbound.Writer.TryComplete();
        if (_closed.TrySetResult())
        {
            _hangUp.Cancel();
        }

        FailPending();
    }

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.InvocationResponse)
        {
            if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
            {
                invocation.TrySetResult(message.InvocationResponse);
            }

            return;
        }

        if (message.RequestId.Length > 0 && _requests.TryGetValue(message.RequestId, out var request))
        {
            request.TrySetResult(message);
            return;
        }

        Received?.Invoke(message);
    }

    private async Task WriteAllAsync(Grpc.Core.IServerStreamWriter<StreamingMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stream is ending: the reading side says why (a killed worker's broken stream). Saying it here first
            // named a cancelled write as the cause.
        }
        catch (Exception exception) when (exception is IOException or GrpcException or InvalidOperationException or OperationCanceledException)
        {
            Close(new WorkerUnavailableException($"Could not write to worker {WorkerId}: {exception.Message}"));
        }
    }

    private void FailPending()
    {
        foreach (var key in _requests.Keys)
        {
            if (_requests.TryRemove(key, out var request))
            {
                request.TrySetException(Unavailable());
            }
        }

        foreach (var key in _invocations.Keys)
        {
            if (_invocations.TryRemove(key, out var invocation))
            {
                invocation.TrySetException(Unavailable());
            }
        }
    }

    private Exception Unavailable() =>
        _closeReason as WorkerUnavailableException ?? new WorkerUnavailableException($"Worker {WorkerId} is not connected.");
}
