namespace Atlas.Functions.Lifecycles;

/// <summary>Every lifecycle type the app runs, by name.</summary>
public sealed class LifecycleRegistry(IEnumerable<Lifecycle> lifecycles)
{
    private readonly Dictionary<string, Lifecycle> _byType = lifecycles.ToDictionary(l => l.Type, StringComparer.Ordinal);

    public Lifecycle? Find(string type) => _byType.GetValueOrDefault(type);
}
