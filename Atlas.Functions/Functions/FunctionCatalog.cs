using System.Text.RegularExpressions;
using Atlas.Functions.Auth;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Functions;

/// <summary>Every function of the app, each declared once.</summary>
public sealed partial class FunctionCatalog
{
    private readonly List<FunctionDefinition> _functions = [];

    public IReadOnlyList<FunctionDefinition> All => _functions;

    public FunctionDefinition? Find(string name) =>
        _functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public FunctionCatalog Http(string name, string method, string route, Access access, Delegate handler, string? rateLimit = null) =>
        Add(new HttpFunction(name, method.ToUpperInvariant(), route.Trim('/'), access, handler, rateLimit));

    public FunctionCatalog Queue(string name, string queue, Func<IServiceProvider, QueueMessage, CancellationToken, Task> handler) =>
        Add(new QueueFunction(name, queue, handler));

    public FunctionCatalog Timer(string name, TimeSpan every, Func<IServiceProvider, CancellationToken, Task> handler) =>
        every > TimeSpan.Zero
            ? Add(new TimerFunction(name, every, handler))
            : throw new ArgumentOutOfRangeException(nameof(every), every, "A timer needs a positive interval.");

    private FunctionCatalog Add(FunctionDefinition function)
    {
        // The Functions host's rule for names, which are also folder names and invocation paths.
        if (!NamePattern().IsMatch(function.Name))
        {
            throw new ArgumentException($"'{function.Name}' is not a valid function name.", nameof(function));
        }

        if (Find(function.Name) is not null)
        {
            throw new ArgumentException($"A function named '{function.Name}' is declared twice.", nameof(function));
        }

        _functions.Add(function);
        return this;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,126}$")]
    private static partial Regex NamePattern();
}
