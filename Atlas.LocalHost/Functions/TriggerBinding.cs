namespace Atlas.LocalHost.Functions;

/// <summary>A function's trigger as its raw binding JSON declares it. <see cref="Name"/> is the parameter name.</summary>
internal abstract record TriggerBinding(string Name, string Type);

internal sealed record HttpTriggerBinding(string Name, string? Route, IReadOnlyList<string> Methods)
    : TriggerBinding(Name, "httpTrigger");

/// <summary><see cref="QueueName"/> may still hold <c>%Setting%</c> references.</summary>
internal sealed record QueueTriggerBinding(string Name, string QueueName, string? Connection, string? DataType, bool SupportsDeferredBinding)
    : TriggerBinding(Name, "queueTrigger");

internal sealed record TimerTriggerBinding(string Name, string Schedule, bool RunOnStartup)
    : TriggerBinding(Name, "timerTrigger");

/// <summary>A Durable orchestrator; <see cref="Orchestration"/> is the name orchestrations are started by (the function's
/// own name unless the binding says otherwise).</summary>
internal sealed record OrchestrationTriggerBinding(string Name, string Orchestration)
    : TriggerBinding(Name, "orchestrationTrigger");

/// <summary>A Durable activity; <see cref="Activity"/> is the name orchestrators call it by.</summary>
internal sealed record ActivityTriggerBinding(string Name, string Activity)
    : TriggerBinding(Name, "activityTrigger");

/// <summary>A trigger this host does not run (Durable entities, Service Bus, ...): the function loads but never fires.</summary>
internal sealed record UnsupportedTriggerBinding(string Name, string Type) : TriggerBinding(Name, Type);
