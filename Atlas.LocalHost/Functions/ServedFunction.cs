namespace Atlas.LocalHost.Functions;

/// <summary>
/// A function as this host serves it, in the terms of the worker's metadata: its trigger type, and for HTTP its
/// route and methods (lower case, as declared), for a queue its queue name, for a timer its schedule (both with any
/// <c>%Setting%</c> references unresolved, as <c>functions.metadata</c> holds them).
/// </summary>
public sealed record ServedFunction(string Name, string TriggerType, string? Route, IReadOnlyList<string> Methods, string? QueueName, string? Schedule)
{
    internal static ServedFunction Of(FunctionDescriptor function) => function.Trigger switch
    {
        HttpTriggerBinding http => new(function.Name, http.Type, http.Route, http.Methods, null, null),
        QueueTriggerBinding queue => new(function.Name, queue.Type, null, [], queue.QueueName, null),
        TimerTriggerBinding timer => new(function.Name, timer.Type, null, [], null, timer.Schedule),
        _ => new(function.Name, function.Trigger.Type, null, [], null, null),
    };
}
