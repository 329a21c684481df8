using System.Diagnostics;
using System.Text.RegularExpressions;
using Atlas.Testing;

namespace Atlas.Tests.Demo;

/// <summary>
/// README.md's "Step by step with curl" as a newcomer runs it: its bash blocks in order, as one script under
/// <c>set -euo pipefail</c> (the README says a failing step stops such a script). What the walk prints is written in
/// the README after <c>→</c>, a line each, <c>…</c> standing for what differs from run to run.
/// </summary>
internal sealed partial class ReadmeWalk
{
    private const string Section = "### Step by step with curl";
    private const string LocalApi = "API=http://localhost:7071/api\n";

    private ReadmeWalk(string script, IReadOnlyList<string> expected)
    {
        Script = script;
        Expected = expected;
    }

    public string Script { get; }

    /// <summary>The lines the README says the walk prints, in order.</summary>
    public IReadOnlyList<string> Expected { get; }

    public static ReadmeWalk Read()
    {
        var readme = File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{Section}'");
        var end = readme.IndexOf("\n### ", start + Section.Length, StringComparison.Ordinal);
        var script = string.Concat(BashBlock().Matches(readme[start..end]).Select(m => m.Groups["code"].Value));
        Assert.Contains(LocalApi, script, StringComparison.Ordinal);
        return new ReadmeWalk(script, [.. Printed().Matches(script).Select(m => m.Groups["line"].Value.Trim())]);
    }

    /// <summary>Runs the walk with bash against <paramref name="api"/> (…/api), after <paramref name="edit"/>.</summary>
    public async Task<Run> RunAsync(Uri api, Func<string, string>? edit = null)
    {
        var script = Path.Combine(Path.GetTempPath(), $"atlas-readme-walk-{Guid.NewGuid():n}.sh");
        await File.WriteAllTextAsync(script, "set -euo pipefail\n" + (edit ?? (s => s))(Script.Replace(LocalApi, $"API={api.ToString().TrimEnd('/')}\n", StringComparison.Ordinal)));
        try
        {
            using var bash = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = bash.StandardOutput.ReadToEndAsync();
            var errors = bash.StandardError.ReadToEndAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await bash.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                bash.Kill(entireProcessTree: true);
                throw new TimeoutException($"The walk ran 5 minutes; it printed:\n{await output}\n{await errors}");
            }

            return new Run(bash.ExitCode, (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries), await errors);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Each line printed is the one the README shows in its place, and there are as many.</summary>
    public void AssertPrintedAsTheReadmeSays(Run run)
    {
        Assert.True(run.ExitCode == 0, $"The walk stopped ({run.ExitCode}): {run.Errors}\nIt printed:\n{string.Join('\n', run.Output)}");
        for (var i = 0; i < Math.Max(Expected.Count, run.Output.Count); i++)
        {
            var expected = i < Expected.Count ? Expected[i] : "(nothing)";
            var printed = i < run.Output.Count ? run.Output[i] : "(nothing)";
            Assert.True(Shows(expected, printed), $"Line {i + 1}: the README shows\n  {expected}\nthe walk printed\n  {printed}");
        }
    }

    /// <summary>Whether <paramref name="printed"/> is the line the README shows as <paramref name="expected"/>.</summary>
    public static bool Shows(string expected, string printed) =>
        Regex.IsMatch(printed, "^" + string.Join(".*", expected.Split('…').Select(Regex.Escape)) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));

    public sealed record Run(int ExitCode, IReadOnlyList<string> Output, string Errors);

    [GeneratedRegex(@"^```bash\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    // A comment (after a command or on a line of its own) that says what the command before it prints: "# → 4242",
    // "# in minor units → {…}".
    [GeneratedRegex(@"(?:^|\s)#[^#\n]*?→ (?<line>.*)$", RegexOptions.Multiline)]
    private static partial Regex Printed();
}
