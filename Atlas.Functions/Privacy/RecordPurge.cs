using System.Text.Json;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Notifications.Providers;
using Atlas.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Privacy;

/// <summary>How many records one purge deleted, by kind.</summary>
public sealed record PurgeCounts(int Challenges, int Phones, int Sessions, int Texts, int Deliveries, int IdempotencyRecords);

/// <summary>
/// Deletes what is kept only to run the app once its period (<see cref="RetentionOptions"/>) is over: sign-in
/// challenges and the rows of phones that never became (or stopped being) a user, unused sessions, the SMS and
/// delivery logs, idempotency records. Each row goes under the ETag it was read with, so one written since stays.
/// </summary>
public sealed class RecordPurge(
    ITableStore tables, InstanceStore instances, StateCache cache, UserSessions sessionIndex, IOptions<RetentionOptions> options, TimeProvider clock)
{
    public async Task<PurgeCounts> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var retain = options.Value;
        return new PurgeCounts(
            await InstancesAsync(ChallengeDecider.Name, now - retain.SignInChallenges, _ => true, ct),
            await InstancesAsync(AccountDecider.Name, now - retain.SignInChallenges, json => Read<Account>(json) is { UserId: null, Membership: null }, ct),
            await InstancesAsync(SessionDecider.Name, now - retain.Sessions, _ => true, ct, ForgetSessionAsync),
            await RowsAsync(SmsLog.Table, "SentAt", now - retain.SmsLog, ct),
            await RowsAsync(DeliveryLog.Table, "At", now - retain.Deliveries, ct),
            await RowsAsync(IdempotencyKeys.Table, "CreatedAt", now - retain.IdempotencyRecords, ct));
    }

    private async Task<int> InstancesAsync(
        string type, DateTimeOffset before, Func<string, bool> purgeable, CancellationToken ct, Func<string, string, CancellationToken, Task>? after = null)
    {
        var count = 0;
        string? continuation = null;
        do
        {
            var (page, next) = await instances.ChangedBeforeAsync(type, before, continuation, ct);
            foreach (var (id, state) in page.Where(i => purgeable(i.State.Json)))
            {
                cache.Remove(LifecycleKeys.Partition(type, id));
                if (await instances.DeleteAsync(type, id, state.ETag, ct))
                {
                    count++;
                    await (after?.Invoke(id, state.Json, ct) ?? Task.CompletedTask);
                }
            }

            continuation = next;
        }
        while (continuation is not null);

        return count;
    }

    private async Task ForgetSessionAsync(string sessionId, string json, CancellationToken ct)
    {
        var userId = Read<Session>(json) switch
        {
            ActiveSession a => a.UserId,
            RevokedSession r => r.UserId,
            _ => null,
        };
        if (userId is not null)
        {
            await sessionIndex.RemoveAsync(userId, sessionId, ct);
        }
    }

    private async Task<int> RowsAsync(string table, string timeProperty, DateTimeOffset before, CancellationToken ct)
    {
        var count = 0;
        string? continuation = null;
        do
        {
            var page = await tables.QueryOlderThanAsync(table, null, timeProperty, before, continuation, 1000, ct);
            foreach (var row in page.Rows)
            {
                var deleted = await tables.WriteAsync(table, TableOperation.Delete(row.PartitionKey, row.RowKey, row.ETag!), ct);
                count += deleted.Succeeded ? 1 : 0;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);

        return count;
    }

    private static T? Read<T>(string json) => JsonSerializer.Deserialize<T>(json, LifecycleJson.Options);
}
