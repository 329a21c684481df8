using Atlas.Functions.Auth;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Functions;

/// <summary>A function as declared once: its name and trigger. Standalone wiring and the Functions host's
/// metadata are both made from these.</summary>
public abstract record FunctionDefinition(string Name);

/// <summary>An HTTP route under /api; the handler is a minimal-API delegate. <paramref name="Access"/> says who may
/// call it; <paramref name="RateLimit"/> names a rate-limiter policy, if any.</summary>
public sealed record HttpFunction(string Name, string Method, string Route, Access Access, Delegate Handler, string? RateLimit = null)
    : FunctionDefinition(Name);

/// <summary>Runs once per message on <paramref name="Queue"/>; throwing means "retry".</summary>
public sealed record QueueFunction(
    string Name, string Queue, Func<IServiceProvider, QueueMessage, CancellationToken, Task> Handler) : FunctionDefinition(Name);

/// <summary>Runs every <paramref name="Every"/>.</summary>
public sealed record TimerFunction(
    string Name, TimeSpan Every, Func<IServiceProvider, CancellationToken, Task> Handler) : FunctionDefinition(Name);

/// <summary>Adds a feature's functions to the catalog; registered in DI, one per feature.</summary>
public delegate void FunctionDeclaration(FunctionCatalog catalog, IServiceProvider services);
