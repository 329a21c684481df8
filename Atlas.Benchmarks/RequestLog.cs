using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Atlas.Benchmarks;

/// <summary>
/// Every request of an open-loop run by kind: the latency of each answer counted from when the request was due (so
/// a load generator that falls behind shows as latency, not as a lighter load), and failures by status. Only requests
/// due inside the measured window count.
/// </summary>
public sealed class RequestLog(Stopwatch clock, TimeSpan from, TimeSpan to)
{
    public const double LatencyBar = 500;

    private readonly ConcurrentDictionary<string, Kind> _kinds = new();
    private readonly ConcurrentBag<double> _awardLags = [];
    private readonly ConcurrentBag<(TimeSpan Due, double Ms)> _slow = [];
    private long _sent;
    private long _unserved;

    public TimeSpan Now => clock.Elapsed;

    /// <summary>Requests due in the window: what CPU and storage calls are divided by.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Bookings that found no free driver near the pickup to bid: the city's shortage, not the app's.</summary>
    public long Unserved => Interlocked.Read(ref _unserved);

    public bool Counts(TimeSpan due) => due >= from && due < to;

    public void Sending(TimeSpan due)
    {
        if (Counts(due))
        {
            Interlocked.Increment(ref _sent);
        }
    }

    public void NoBidder(TimeSpan due)
    {
        if (Counts(due))
        {
            Interlocked.Increment(ref _unserved);
        }
    }

    /// <summary>From the window's close (the app's clock) to the winner's and the rider's notices: the durable timer's
    /// lag, the award and the push; not a request, so not held to the bar.</summary>
    public void Awarded(TimeSpan due, TimeSpan sinceClose)
    {
        if (Counts(due))
        {
            _awardLags.Add(sinceClose.TotalMilliseconds);
        }
    }

    public List<double> AwardLags => _awardLags.Order().ToList();

    public void Answered(string kind, TimeSpan due, HttpStatusCode status, string? reason = null)
    {
        if (!Counts(due))
        {
            return;
        }

        var log = _kinds.GetOrAdd(kind, _ => new Kind());
        var ms = (clock.Elapsed - due).TotalMilliseconds;
        log.Latencies.Add(ms);
        if (ms >= LatencyBar)
        {
            _slow.Add((due, ms));
        }
        if ((int)status >= 400)
        {
            log.Errors.AddOrUpdate(reason is null ? $"{(int)status}" : $"{(int)status} {reason}", 1, (_, n) => n + 1);
        }
    }

    /// <summary>No answer at all (refused connection, timeout): an error without a status.</summary>
    public void Failed(string kind, TimeSpan due, Exception error)
    {
        if (Counts(due))
        {
            var log = _kinds.GetOrAdd(kind, _ => new Kind());
            log.Errors.AddOrUpdate(error.GetType().Name, 1, (_, n) => n + 1);
        }
    }

    /// <summary>When the answers over the bar were due, as bursts (due within a second of one another): a stall of
    /// everything at once shows as one burst, a queue that builds up as a long one. Seconds since the window opened.</summary>
    public List<(double FromSeconds, double ToSeconds, int Requests, double WorstMs)> SlowBursts()
    {
        var bursts = new List<(double, double, int, double)>();
        foreach (var (due, ms) in _slow.OrderBy(s => s.Due))
        {
            var at = (due - from).TotalSeconds;
            if (bursts.Count > 0 && at - bursts[^1].Item2 <= 1)
            {
                var last = bursts[^1];
                bursts[^1] = (last.Item1, at, last.Item3 + 1, Math.Max(last.Item4, ms));
            }
            else
            {
                bursts.Add((at, at, 1, ms));
            }
        }

        return bursts;
    }

    public IEnumerable<KindFigures> Figures() => _kinds
        .OrderBy(k => k.Key, StringComparer.Ordinal)
        .Select(k => new KindFigures(k.Key, k.Value.Latencies.Order().ToList(), new Dictionary<string, int>(k.Value.Errors)));

    private sealed class Kind
    {
        public ConcurrentBag<double> Latencies { get; } = [];

        public ConcurrentDictionary<string, int> Errors { get; } = new();
    }
}

/// <summary>One kind's figures: answers' latencies (sorted, ms, failures included) and errors by status or exception.</summary>
public sealed record KindFigures(string Kind, List<double> Latencies, Dictionary<string, int> Errors)
{
    public long Count => Latencies.Count + Errors.Where(e => !char.IsAsciiDigit(e.Key[0])).Sum(e => e.Value);

    public double P99 => Measure.Percentile(Latencies, 99);

    /// <summary>The bar a city must clear: p99 under 500 ms and not one error.</summary>
    public bool Passes => Errors.Count == 0 && !(P99 >= RequestLog.LatencyBar);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kind}: {Count:N0}, p50 {Measure.Percentile(Latencies, 50):F1} ms, p95 {Measure.Percentile(Latencies, 95):F1}, p99 {P99:F1}, max {Latencies.LastOrDefault():F1}; errors: {(Errors.Count == 0 ? "none" : string.Join(", ", Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Value} × {e.Key}")))}{(Passes ? "" : "   ← over the bar")}");
}
