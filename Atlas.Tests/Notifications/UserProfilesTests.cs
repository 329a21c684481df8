using Atlas.Functions.Notifications;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Notifications;

/// <summary>The profile a notice reads, on Azurite: reused for a minute, and read once by callers that miss together.</summary>
public sealed class UserProfilesTests : IAsyncLifetime
{
    private const string Read = $"table get {UserProfiles.Table}/profile";
    private readonly AzureTableStore _store = new(StorageClients.Tables(Azurite.ConnectionString), Azurite.NewPrefix());
    private readonly ManualClock _clock = new();

    public async Task InitializeAsync()
    {
        await _store.CreateTableIfNotExistsAsync(UserProfiles.Table, default);
        await new UserProfiles(_store, _clock).CreateAsync("u1", "+447700900123", default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Notices_to_one_user_at_once_share_one_read()
    {
        var calls = new Faults();
        var profiles = new UserProfiles(new FaultyTableStore(_store, calls), _clock);

        var found = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => profiles.FindRecentAsync("u1", default)));

        Assert.All(found, p => Assert.Equal("+447700900123", p?.Phone));
        Assert.Equal([Read], calls.Trace);
    }

    [Fact]
    public async Task A_profile_is_read_again_once_its_minute_is_over()
    {
        var calls = new Faults();
        var profiles = new UserProfiles(new FaultyTableStore(_store, calls), _clock);

        await profiles.FindRecentAsync("u1", default);
        _clock.Advance(UserProfiles.ReuseFor - TimeSpan.FromSeconds(1));
        await profiles.FindRecentAsync("u1", default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await profiles.FindRecentAsync("u1", default);

        Assert.Equal([Read, Read], calls.Trace);
    }

    [Fact]
    public async Task A_read_that_failed_is_not_reused()
    {
        var profiles = new UserProfiles(new FaultyTableStore(_store, new Faults(crashAtCall: 1)), _clock);

        var first = await Assert.ThrowsAsync<SimulatedCrash>(() => profiles.FindRecentAsync("u1", default));
        var second = await Assert.ThrowsAsync<SimulatedCrash>(() => profiles.FindRecentAsync("u1", default));

        // The second caller tried storage itself (and found the "process" down) rather than being handed the first failure.
        Assert.StartsWith("crashed before", first.Message, StringComparison.Ordinal);
        Assert.StartsWith("the process is down", second.Message, StringComparison.Ordinal);
    }
}
