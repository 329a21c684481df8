using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace SampleWorker;

public sealed class Tick(ILogger<Tick> logger)
{
    [Function(nameof(Tick))]
    public void Run([TimerTrigger("%TickSchedule%")] TimerInfo timer) =>
        logger.LogInformation(
            "Tick (IsPastDue={IsPastDue}, Last={Last:o}, Next={Next:o})",
            timer.IsPastDue,
            timer.ScheduleStatus?.Last,
            timer.ScheduleStatus?.Next);
}
