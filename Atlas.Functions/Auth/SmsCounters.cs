using System.Globalization;
using Atlas.Core.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Auth;

/// <summary>
/// Sign-in texts sent and codes verified, per calling code and minute, counted across instances (table SmsCounts): a
/// sharded counter with one shard per instance. Each instance writes only its own rows — partition the UTC hour
/// (<c>yyyyMMddHH</c>), row <c>{instance}-{mm}</c>, properties <c>S{code}</c> and <c>V{code}</c> — as blind upserts of
/// its own running counts, so no two writers race for a row and no write reads first; a write carries every count made
/// while the one before was in flight (a group commit), so a hundred sign-ins a second make a few writes a second.
/// A decision sums every instance's rows: the others' as read at most <see cref="SmsGuardOptions.RefreshEvery"/> ago,
/// this instance's as counted in memory, under one lock with the count it decides on. Across instances a budget may
/// therefore overshoot by what the others send within RefreshEvery; a restarted instance starts a new shard and its
/// old rows still count.
/// </summary>
public sealed class SmsCounters
{
    public const string Table = "SmsCounts";

    private readonly ITableStore _tables;
    private readonly SmsGuard _guard;
    private readonly TimeSpan _refreshEvery;
    private readonly string _instance;
    private readonly GroupCommit<bool> _writes;
    private readonly Lock _gate = new();
    private readonly Dictionary<DateTimeOffset, Minute> _mine = [];
    private Dictionary<DateTimeOffset, Minute> _others = [];
    private DateTimeOffset? _readAt;
    private Task? _reading;

    public SmsCounters(ITableStore tables, SmsGuard guard, IOptions<SmsGuardOptions> options, RandomSource random)
    {
        _tables = tables;
        _guard = guard;
        _refreshEvery = options.Value.RefreshEvery;
        _instance = random.NewId("in");
        _writes = new GroupCommit<bool>(_ => WriteAsync(), (_, _) => true);
    }

    /// <summary>Decides a text to <paramref name="code"/> on the counts as they stand and, if it goes, counts it
    /// (stored before this returns).</summary>
    public async Task<(SmsVerdict Verdict, SmsTally Tally)> AdmitAsync(string code, DateTimeOffset now, CancellationToken ct)
    {
        await RefreshAsync(now, ct);
        SmsVerdict verdict;
        SmsTally tally;
        lock (_gate)
        {
            tally = Tally(code, now);
            verdict = _guard.Decide(tally, now);
            if (verdict is SendText)
            {
                Count(now, code, sent: 1, verified: 0);
            }
        }

        if (verdict is SendText)
        {
            await _writes.AddAsync(true);
        }

        return (verdict, tally);
    }

    /// <summary>A code of <paramref name="code"/> was verified (stored before this returns).</summary>
    public Task VerifiedAsync(string code, DateTimeOffset now)
    {
        lock (_gate)
        {
            Count(now, code, sent: 0, verified: 1);
        }

        return _writes.AddAsync(true);
    }

    /// <summary>What every instance has counted for <paramref name="code"/>, as this one knows it at <paramref name="now"/>.</summary>
    public async Task<SmsTally> TallyAsync(string code, DateTimeOffset now, CancellationToken ct)
    {
        await RefreshAsync(now, ct);
        lock (_gate)
        {
            return Tally(code, now);
        }
    }

    private SmsTally Tally(string code, DateTimeOffset now)
    {
        var hour = SmsGuard.HourOf(now);
        var minute = SmsGuard.MinuteOf(now);
        long sentThisHour = 0, sentInAll = 0, sentThisMinute = 0, sentInWindow = 0, verifiedInWindow = 0;
        foreach (var (at, counts) in _others.Concat(_mine))
        {
            var sent = counts.Sent.GetValueOrDefault(code);
            if (SmsGuard.HourOf(at) == hour)
            {
                sentThisHour += sent;
                sentInAll += counts.Sent.Values.Sum();
            }

            if (at == minute)
            {
                sentThisMinute += sent;
            }

            if (_guard.InWindow(at, now))
            {
                sentInWindow += sent;
                verifiedInWindow += counts.Verified.GetValueOrDefault(code);
            }
        }

        return new SmsTally(sentThisHour, sentInAll, sentThisMinute, sentInWindow, verifiedInWindow);
    }

    private void Count(DateTimeOffset now, string code, long sent, long verified)
    {
        var minute = SmsGuard.MinuteOf(now);
        if (!_mine.TryGetValue(minute, out var counts))
        {
            _mine[minute] = counts = new Minute();
            Forget(now);
        }

        Minute.Add(counts.Sent, code, sent);
        Minute.Add(counts.Verified, code, verified);
        counts.Dirty = true;
    }

    /// <summary>Drops this instance's written minutes that no budget or window looks at any more.</summary>
    private void Forget(DateTimeOffset now)
    {
        var before = SmsGuard.HourOf(now - _guard.Rules.ConversionWindow);
        foreach (var old in _mine.Where(m => m.Key < before && !m.Value.Dirty).Select(m => m.Key).ToList())
        {
            _mine.Remove(old);
        }
    }

    private async Task RefreshAsync(DateTimeOffset now, CancellationToken ct)
    {
        Task reading;
        lock (_gate)
        {
            if (_readAt is { } readAt && now - readAt < _refreshEvery && now >= readAt)
            {
                return;
            }

            reading = _reading ??= ReadAsync(now);
        }

        try
        {
            await reading.WaitAsync(ct);
        }
        finally
        {
            lock (_gate)
            {
                if (_reading == reading && reading.IsCompleted)
                {
                    _reading = null;
                }
            }
        }
    }

    /// <summary>The other instances' rows of the hours the budgets and the window look at.</summary>
    private async Task ReadAsync(DateTimeOffset now)
    {
        var others = new Dictionary<DateTimeOffset, Minute>();
        var hours = new[] { SmsGuard.HourOf(now - _guard.Rules.ConversionWindow), SmsGuard.HourOf(now) }.Distinct();
        foreach (var hour in hours)
        {
            string? continuation = null;
            do
            {
                var page = await _tables.QueryPartitionAsync(Table, Partition(hour), null, continuation, 1000, CancellationToken.None);
                foreach (var row in page.Rows.Where(r => !r.RowKey.StartsWith(_instance + "-", StringComparison.Ordinal)))
                {
                    var at = hour.AddMinutes(int.Parse(row.RowKey[^2..], CultureInfo.InvariantCulture));
                    if (!others.TryGetValue(at, out var counts))
                    {
                        others[at] = counts = new Minute();
                    }

                    counts.Add(row);
                }

                continuation = page.Continuation;
            }
            while (continuation is not null);
        }

        lock (_gate)
        {
            _others = others;
            _readAt = now;
        }
    }

    /// <summary>Upserts this instance's minutes counted since the last write, each with its running counts.</summary>
    private async Task WriteAsync()
    {
        List<(DateTimeOffset At, TableRow Row)> rows;
        lock (_gate)
        {
            rows = [.. _mine.Where(m => m.Value.Dirty).Select(m => (m.Key, m.Value.ToRow(Partition(SmsGuard.HourOf(m.Key)), $"{_instance}-{m.Key:mm}")))];
            foreach (var (at, _) in rows)
            {
                _mine[at].Dirty = false;
            }
        }

        try
        {
            foreach (var hour in rows.GroupBy(r => r.Row.PartitionKey).Select(g => g.Select(r => TableOperation.Upsert(r.Row)).ToList()))
            {
                // Mostly one row (this minute's); at a minute's turn the last one's too, in one transaction.
                var write = hour.Count == 1
                    ? await _tables.WriteAsync(Table, hour[0], CancellationToken.None)
                    : await _tables.ExecuteBatchAsync(Table, hour, CancellationToken.None);
                if (!write.Succeeded)
                {
                    throw new InvalidOperationException($"Writing the sign-in text counts failed: {write.Status}.");
                }
            }
        }
        catch
        {
            // Written again, with whatever was counted since, by the next write.
            lock (_gate)
            {
                foreach (var (at, _) in rows.Where(r => _mine.ContainsKey(r.At)))
                {
                    _mine[at].Dirty = true;
                }
            }

            throw;
        }
    }

    private static string Partition(DateTimeOffset hour) => hour.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>One minute's counts by calling code.</summary>
    private sealed class Minute
    {
        public Dictionary<string, long> Sent { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Verified { get; } = new(StringComparer.Ordinal);

        public bool Dirty { get; set; }

        public void Add(TableRow row)
        {
            foreach (var (name, _) in row.Properties)
            {
                if (name[0] switch { 'S' => Sent, 'V' => Verified, _ => null } is { } counts)
                {
                    Add(counts, name[1..], row.GetLong(name));
                }
            }
        }

        public static void Add(Dictionary<string, long> counts, string code, long more)
        {
            if (more != 0)
            {
                counts[code] = counts.GetValueOrDefault(code) + more;
            }
        }

        public TableRow ToRow(string partition, string rowKey) => new(
            partition,
            rowKey,
            Sent.Select(c => KeyValuePair.Create<string, object?>("S" + c.Key, c.Value))
                .Concat(Verified.Select(c => KeyValuePair.Create<string, object?>("V" + c.Key, c.Value)))
                .ToDictionary());
    }
}
