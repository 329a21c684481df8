using System.Globalization;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Timers;

/// <summary>
/// Fires one function on its schedule: once per occurrence, never twice for the same one, and once at start
/// when runOnStartup is set. The schedule status lives in memory, so a host restart forgets missed occurrences.
/// </summary>
internal sealed class TimerTriggerListener : IAsyncDisposable
{
    private readonly FunctionDescriptor _function;
    private readonly TimerTriggerBinding _trigger;
    private readonly TimerSchedule _schedule;
    private readonly TimeZoneInfo _timeZone;
    private readonly FunctionInvoker _invoker;
    private readonly HostLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private ScheduleStatus _status;

    private TimerTriggerListener(
        FunctionDescriptor function,
        TimerTriggerBinding trigger,
        TimerSchedule schedule,
        TimeZoneInfo timeZone,
        FunctionInvoker invoker,
        HostLog log,
        TimeProvider timeProvider)
    {
        _function = function;
        _trigger = trigger;
        _schedule = schedule;
        _timeZone = timeZone;
        _invoker = invoker;
        _log = log;
        _timeProvider = timeProvider;
        _status = new ScheduleStatus(default, schedule.Next(timeProvider.GetUtcNow()), default);
    }

    public static TimerTriggerListener Create(
        FunctionDescriptor function,
        TimerTriggerBinding trigger,
        TimerSchedule schedule,
        TimeZoneInfo timeZone,
        FunctionInvoker invoker,
        HostLog log,
        TimeProvider timeProvider)
    {
        return new TimerTriggerListener(function, trigger, schedule, timeZone, invoker, log, timeProvider);
    }

    public void Start()
    {
        LogNextOccurrences();
        _running = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Fires the function now, out of schedule (a test that moves its own clock asks for the occurrence).</summary>
    public Task FireNowAsync(CancellationToken cancellationToken) => FireAsync(isPastDue: false, scheduled: false, cancellationToken, "Timer fired on request");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (_trigger.RunOnStartup)
            {
                await FireAsync(isPastDue: false, scheduled: false, stopping, "Timer fired on startup (runOnStartup)").ConfigureAwait(false);
            }

            while (!stopping.IsCancellationRequested)
            {
                var wait = _status.Next - _timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _timeProvider, stopping).ConfigureAwait(false);
                }

                // Past due: the firing is so late that the following occurrence has come too (the host was busy,
                // or the worker was restarting). It fires once, flagged, and the missed ones are skipped.
                var isPastDue = _schedule.Next(_status.Next) <= _timeProvider.GetUtcNow();
                await FireAsync(isPastDue, scheduled: true, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task FireAsync(bool isPastDue, bool scheduled, CancellationToken stopping, string? reason = null)
    {
        var firedAt = _timeProvider.GetUtcNow();
        var invocation = new FunctionInvocation(
            _function.Name,
            FunctionInvocation.NewId(),
            reason ?? $"Timer fired at {TimeZoneInfo.ConvertTime(firedAt, _timeZone).ToString("o", CultureInfo.InvariantCulture)}",
            [new ParameterBinding { Name = _trigger.Name, Data = TypedDataValues.Json(TimerInfoJson.Create(_status, isPastDue, _timeZone)) }],
            new Dictionary<string, TypedData>());

        // A failing function does not stop the schedule; the invoker has logged the failure.
        await _invoker.InvokeAsync(invocation, stopping).ConfigureAwait(false);

        // A timer that wakes a hair early still counts as that occurrence, so the next one is computed from
        // the due time, never from before it: that is what keeps it to one firing per occurrence.
        var occurrence = scheduled && _status.Next > firedAt ? _status.Next : firedAt;
        _status = new ScheduleStatus(occurrence, _schedule.Next(occurrence), occurrence);
    }

    private void LogNextOccurrences()
    {
        var upcoming = new List<string>();
        var next = _status.Next;
        for (var i = 0; i < 5; i++)
        {
            upcoming.Add(TimeZoneInfo.ConvertTime(next, _timeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
            next = _schedule.Next(next);
        }

        _log.Info($"Host.Timers.{_function.Name}", $"Schedule '{_trigger.Schedule}' ({_schedule}); next occurrences: {string.Join(", ", upcoming)}");
    }
}
