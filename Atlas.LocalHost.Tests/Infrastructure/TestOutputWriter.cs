using System.Text;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>Sends whole lines to xunit's per-test output.</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }

            try
            {
                output.WriteLine(_line.ToString().TrimEnd('\r'));
            }
            catch (InvalidOperationException)
            {
                // The test has finished; late lines (shutdown) have nowhere to go.
            }

            _line.Clear();
        }
    }
}
