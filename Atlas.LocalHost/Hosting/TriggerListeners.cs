using Atlas.LocalHost.Configuration;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Queues;
using Atlas.LocalHost.Timers;

namespace Atlas.LocalHost.Hosting;

/// <summary>
/// A listener for each queue- and timer-triggered function that is not disabled. Started, they poll and fire on
/// their own; not started (a test that drives time itself), they run only when asked: <see cref="PumpQueuesAsync"/>
/// and <see cref="FireTimerAsync"/>.
/// </summary>
internal sealed class TriggerListeners : IAsyncDisposable
{
    private const string Category = "Host";

    private readonly List<QueueTriggerListener> _queues = [];
    private readonly Dictionary<string, TimerTriggerListener> _timers = new(StringComparer.OrdinalIgnoreCase);

    public static TriggerListeners Create(
        IReadOnlyList<FunctionDescriptor> functions,
        FunctionApp app,
        AppSettings settings,
        TimeProvider timeProvider,
        FunctionInvoker invoker,
        HostLog log,
        bool start)
    {
        var queues = new StorageQueues(settings, app.HostJson.Queues, log);
        var timeZone = settings.Get("WEBSITE_TIME_ZONE") is { Length: > 0 } zone ? TimeZoneInfo.FindSystemTimeZoneById(zone) : TimeZoneInfo.Local;
        var listeners = new TriggerListeners();

        foreach (var function in functions.Where(function => !settings.IsFunctionDisabled(function.Name)))
        {
            // Like the real host, a trigger that cannot start (a missing setting, a bad schedule) leaves that
            // function without a listener and the rest of the app running.
            try
            {
                switch (CreateListener(function, app, settings, queues, timeZone, timeProvider, invoker, log))
                {
                    case QueueTriggerListener queue:
                        listeners._queues.Add(queue);
                        break;
                    case TimerTriggerListener timer:
                        listeners._timers[function.Name] = timer;
                        break;
                }
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentException)
            {
                log.Error(Category, $"The listener for function '{function.Name}' was unable to start: {exception.Message}");
            }
        }

        if (start)
        {
            listeners._queues.ForEach(queue => queue.Start());
            listeners._timers.Values.ToList().ForEach(timer => timer.Start());
        }

        return listeners;
    }

    /// <summary>Receives one batch from each queue trigger's queue and runs the functions on it to the end; returns the
    /// number of messages taken.</summary>
    public async Task<int> PumpQueuesAsync(CancellationToken cancellationToken)
    {
        var taken = await Task.WhenAll(_queues.Select(queue => queue.PumpOnceAsync(cancellationToken))).ConfigureAwait(false);
        return taken.Sum();
    }

    /// <summary>Runs a timer-triggered function now, as its schedule would.</summary>
    public Task FireTimerAsync(string functionName, CancellationToken cancellationToken) =>
        _timers.TryGetValue(functionName, out var timer)
            ? timer.FireNowAsync(cancellationToken)
            : throw new ArgumentException($"No timer-triggered function '{functionName}' is listening.", nameof(functionName));

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _queues.Cast<IAsyncDisposable>().Concat(_timers.Values))
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static IAsyncDisposable? CreateListener(
        FunctionDescriptor function,
        FunctionApp app,
        AppSettings settings,
        StorageQueues queues,
        TimeZoneInfo timeZone,
        TimeProvider timeProvider,
        FunctionInvoker invoker,
        HostLog log)
    {
        switch (function.Trigger)
        {
            case QueueTriggerBinding queue:
                // Queue names are lower-cased as the WebJobs extension does.
                var queueName = settings.Resolve(queue.QueueName).ToLowerInvariant();
                return QueueTriggerListener.Create(function, queue, queueName, queues, app.HostJson.Queues, invoker, log, timeProvider);
            case TimerTriggerBinding timer:
                var schedule = TimerSchedule.Parse(settings.Resolve(timer.Schedule), timeZone);
                return TimerTriggerListener.Create(function, timer, schedule, timeZone, invoker, log, timeProvider);
            case UnsupportedTriggerBinding unsupported:
                log.Warn(Category, $"Function '{function.Name}' has a {unsupported.Type} trigger, which this host does not run.");
                return null;
            default:
                return null;
        }
    }
}
