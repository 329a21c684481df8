using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Privacy;

/// <summary>The retention purge's timer: daily, on <c>Retention:PurgeSchedule</c>.</summary>
public static class RetentionFunctions
{
    [Function("PurgeRecords")]
    public static async Task PurgeAsync(
        [TimerTrigger("%Retention:PurgeSchedule%")] TimerInfo timer, RecordPurge purge, ILogger<RecordPurge> logger, CancellationToken ct)
    {
        var purged = await purge.RunAsync(ct);
        logger.LogInformation(
            "Purged {Challenges} sign-in challenges, {Phones} phone rows, {Sessions} sessions, {Texts} SMS log rows, {Deliveries} delivery log rows and {Keys} idempotency records",
            purged.Challenges, purged.Phones, purged.Sessions, purged.Texts, purged.Deliveries, purged.IdempotencyRecords);
    }
}
