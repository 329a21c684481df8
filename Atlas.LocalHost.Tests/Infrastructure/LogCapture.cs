using System.Text;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>The host's log as lines that tests can wait on.</summary>
public sealed class LogCapture : TextWriter
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();
    private readonly TextWriter? _echo;

    public LogCapture(TextWriter? echo = null)
    {
        _echo = echo;
    }

    public event Action? LineWritten;

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value != '\n')
            {
                _partial.Append(value);
                return;
            }

            _lines.Add(_partial.ToString().TrimEnd('\r'));
            _echo?.WriteLine(_partial.ToString());
            _partial.Clear();
        }

        LineWritten?.Invoke();
    }

    public override void Write(string? value)
    {
        foreach (var character in value ?? string.Empty)
        {
            Write(character);
        }
    }

    /// <summary>Waits until <paramref name="count"/> lines match, or fails at the deadline showing the log's tail.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<string, bool> match, TimeSpan timeout, int count = 1)
    {
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (Lines.Count(match) >= count)
            {
                enough.TrySetResult();
            }
        }

        LineWritten += Check;
        try
        {
            Check();
            await enough.Task.WaitAsync(timeout);
            return [.. Lines.Where(match)];
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {count} matching log line(s) within {timeout}; the log ends with:{Environment.NewLine}{string.Join(Environment.NewLine, Lines.TakeLast(40))}");
        }
        finally
        {
            LineWritten -= Check;
        }
    }
}
