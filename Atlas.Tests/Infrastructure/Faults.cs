namespace Atlas.Tests.Infrastructure;

/// <summary>
/// A simulated process death for crash-injection tests. Every storage and queue call of one "process" goes
/// through here and is numbered; the armed call fails before or after it reaches storage, and from then on
/// every call fails, as nothing runs in a dead process.
/// </summary>
public sealed class Faults(int? crashAtCall = null, bool afterCall = false)
{
    private readonly Lock _gate = new();
    private readonly List<string> _trace = [];
    private bool _dead;

    public IReadOnlyList<string> Trace
    {
        get
        {
            lock (_gate)
            {
                return [.. _trace];
            }
        }
    }

    public bool Crashed
    {
        get
        {
            lock (_gate)
            {
                return _dead;
            }
        }
    }

    public async Task<T> AroundAsync<T>(string operation, Func<Task<T>> call)
    {
        bool crashHere;
        lock (_gate)
        {
            if (_dead)
            {
                throw new SimulatedCrash($"the process is down ({operation})");
            }

            _trace.Add(operation);
            crashHere = _trace.Count == crashAtCall;
            if (crashHere && !afterCall)
            {
                _dead = true;
                throw new SimulatedCrash($"crashed before {operation}");
            }
        }

        var result = await call();
        if (crashHere)
        {
            lock (_gate)
            {
                _dead = true;
            }

            throw new SimulatedCrash($"crashed after {operation}");
        }

        return result;
    }

    public async Task AroundAsync(string operation, Func<Task> call) =>
        await AroundAsync(operation, async () =>
        {
            await call();
            return true;
        });
}

public sealed class SimulatedCrash(string message) : Exception(message);
