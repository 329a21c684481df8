using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace SampleWorker;

/// <summary>
/// Handles work messages. A message containing "fail" throws, so it is retried and then poisoned; one
/// containing "slow" takes three seconds, long enough for a test to crash the worker under it.
/// </summary>
public sealed class Work(ILogger<Work> logger)
{
    [Function(nameof(Work))]
    public async Task Run([QueueTrigger("%WorkQueue%")] string message, string id, long dequeueCount, DateTimeOffset insertionTime)
    {
        if (message.Contains("fail", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Failing '{message}' on purpose (attempt {dequeueCount}).");
        }

        if (message.Contains("slow", StringComparison.OrdinalIgnoreCase))
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        logger.LogInformation("Handled '{Message}' (Id={Id}, DequeueCount={DequeueCount}, InsertionTime={InsertionTime:o})", message, id, dequeueCount, insertionTime);
    }
}
