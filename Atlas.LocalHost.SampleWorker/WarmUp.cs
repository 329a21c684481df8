using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace SampleWorker;

/// <summary>Daily at 03:00, and once whenever the host starts.</summary>
public sealed class WarmUp(ILogger<WarmUp> logger)
{
    [Function(nameof(WarmUp))]
    public void Run([TimerTrigger("0 0 3 * * *", RunOnStartup = true)] TimerInfo timer) =>
        logger.LogInformation("Warm-up ran (IsPastDue={IsPastDue})", timer.IsPastDue);
}
