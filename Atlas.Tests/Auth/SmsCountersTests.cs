using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Auth;

/// <summary>The SMS guard's counters on Azurite: one budget across instances (each writes its own rows and reads the
/// others'), kept over a restart, and a conversion window that slides with the clock.</summary>
public sealed class SmsCountersTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 10, TimeSpan.Zero);
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(1);

    private readonly AzureTableStore _tables = new(StorageClients.Tables(Azurite.ConnectionString), Azurite.NewPrefix());

    public Task InitializeAsync() => _tables.CreateTableIfNotExistsAsync(SmsCounters.Table, default);

    public Task DisposeAsync() => Task.CompletedTask;

    private SmsCounters Instance(int hourly = 3, int minVolume = 1000) => new(
        _tables,
        new SmsGuard(new SmsGuardRules(hourly, 1000, TimeSpan.FromMinutes(10), minVolume, 0.5, TricklePerMinute: 0)),
        Options.Create(new SmsGuardOptions { RefreshEvery = RefreshEvery }),
        new RandomSource());

    [Fact]
    public async Task Two_instances_spend_one_hourly_budget_each_seeing_the_others_counts_once_it_reads_them_again()
    {
        var a = Instance();
        var b = Instance();

        Assert.IsType<SendText>((await a.AdmitAsync("44", Start, default)).Verdict);
        Assert.IsType<SendText>((await a.AdmitAsync("44", Start, default)).Verdict);
        Assert.IsType<SendText>((await b.AdmitAsync("44", Start, default)).Verdict);
        var bFourth = await b.AdmitAsync("44", Start, default);
        var aStale = await a.AdmitAsync("33", Start, default);
        var aFresh = await a.AdmitAsync("44", Start + RefreshEvery, default);

        Assert.Equal(SmsHoldReason.Budget, Assert.IsType<HoldText>(bFourth.Verdict).Reason);
        Assert.Equal(3, bFourth.Tally.SentThisHour);
        Assert.Equal(2, aStale.Tally.SentThisHourInAll);
        Assert.Equal(SmsHoldReason.Budget, Assert.IsType<HoldText>(aFresh.Verdict).Reason);
        Assert.Equal(4, aFresh.Tally.SentThisHourInAll);
    }

    [Fact]
    public async Task An_instance_started_again_finds_the_hours_texts_spent()
    {
        var before = Instance();
        for (var i = 0; i < 3; i++)
        {
            await before.AdmitAsync("1", Start, default);
        }

        var after = await Instance().AdmitAsync("1", Start.AddMinutes(30), default);

        Assert.Equal(new HoldText(SmsHoldReason.Budget, new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)), after.Verdict);
    }

    [Fact]
    public async Task Sent_and_verified_codes_leave_the_conversion_window_as_the_clock_moves_on()
    {
        var sender = Instance(hourly: 1000);
        var verifier = Instance(hourly: 1000);
        for (var i = 0; i < 4; i++)
        {
            await sender.AdmitAsync("371", Start, default);
        }

        await verifier.VerifiedAsync("371", Start.AddMinutes(5));

        var within = await Instance().TallyAsync("371", Start.AddMinutes(9), default);
        var later = await Instance().TallyAsync("371", Start.AddMinutes(10), default);
        var after = await Instance().TallyAsync("371", Start.AddMinutes(15), default);

        Assert.Equal((4, 1), (within.SentInWindow, within.VerifiedInWindow));
        Assert.Equal((0, 1), (later.SentInWindow, later.VerifiedInWindow));
        Assert.Equal((0, 0), (after.SentInWindow, after.VerifiedInWindow));
        Assert.Equal(4, after.SentThisHour);
    }
}
