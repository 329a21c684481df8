using Atlas.LocalHost.Configuration;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Queues;
using Atlas.LocalHost.Timers;

namespace Atlas.LocalHost.Hosting;

/// <summary>Starts a listener for each queue- and timer-triggered function that is not disabled.</summary>
internal static class TriggerListeners
{
    private const string Category = "Host";

    public static List<IAsyncDisposable> Start(
        IReadOnlyList<FunctionDescriptor> functions,
        FunctionApp app,
        AppSettings settings,
        TimeProvider timeProvider,
        FunctionInvoker invoker,
        HostLog log)
    {
        var queues = new StorageQueues(settings, app.HostJson.Queues, log);
        var timeZone = settings.Get("WEBSITE_TIME_ZONE") is { Length: > 0 } zone ? TimeZoneInfo.FindSystemTimeZoneById(zone) : TimeZoneInfo.Local;
        var listeners = new List<IAsyncDisposable>();

        foreach (var function in functions.Where(function => !settings.IsFunctionDisabled(function.Name)))
        {
            // Like the real host, a trigger that cannot start (a missing setting, a bad schedule) leaves that
            // function without a listener and the rest of the app running.
            try
            {
                if (StartListener(function, app, settings, queues, timeZone, timeProvider, invoker, log) is { } listener)
                {
                    listeners.Add(listener);
                }
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentException)
            {
                log.Error(Category, $"The listener for function '{function.Name}' was unable to start: {exception.Message}");
            }
        }

        return listeners;
    }

    private static IAsyncDisposable? StartListener(
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
                return QueueTriggerListener.Start(function, queue, queueName, queues, app.HostJson.Queues, invoker, log, timeProvider);
            case TimerTriggerBinding timer:
                var schedule = TimerSchedule.Parse(settings.Resolve(timer.Schedule), timeZone);
                return TimerTriggerListener.Start(function, timer, schedule, timeZone, invoker, log, timeProvider);
            case UnsupportedTriggerBinding unsupported:
                log.Warn(Category, $"Function '{function.Name}' has a {unsupported.Type} trigger, which this host does not run.");
                return null;
            default:
                return null;
        }
    }
}
