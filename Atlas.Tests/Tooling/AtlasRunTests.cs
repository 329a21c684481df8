using System.Diagnostics;
using Atlas.Testing;

namespace Atlas.Tests.Tooling;

/// <summary>
/// <c>./atlas run</c> watches what it started: Azurite, the fake Stripe, the Functions host. When one of them ends by
/// itself, the others are stopped and the last lines say which one ended, how, and how to get back (before, the only
/// line was the host's "Stopping."). The script's own <c>started</c>/<c>supervise</c> run here over stand-in processes.
/// </summary>
public sealed class AtlasRunTests
{
    [Fact]
    public async Task When_the_fake_Stripe_is_killed_the_rest_is_stopped_and_the_last_lines_name_it_its_signal_and_how_to_get_back()
    {
        var run = await SuperviseAsync(host: "sleep 60", then: "kill -KILL ${pids[1]}");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            [
                $"atlas: the fake Stripe (pid {run.Pids[1]}) was killed by SIGKILL (exit code 137), so everything else was stopped; its output is above.",
                "atlas: to start it all again: ./atlas run",
            ],
            run.LastLines(2));
        Assert.All(run.Pids, pid => Assert.False(IsRunning(pid), $"{pid} was stopped"));
    }

    [Fact]
    public async Task When_the_host_exits_on_its_own_the_last_lines_give_its_exit_code()
    {
        var run = await SuperviseAsync(host: "bash -c 'sleep 0.5; exit 3'", then: string.Empty);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"atlas: the Functions host (pid {run.Pids[2]}) exited with code 3, so everything else was stopped; its log is above.",
            run.LastLines(2)[0]);
        Assert.All(run.Pids, pid => Assert.False(IsRunning(pid), $"{pid} was stopped"));
    }

    [Fact]
    public async Task A_process_that_ended_while_the_app_was_starting_is_the_one_reported()
    {
        // Ended and reaped before supervise begins, as when the fake Stripe finds its port taken during the build.
        var run = await SuperviseAsync(host: "sleep 60", then: "kill -KILL ${pids[0]}; sleep 0.5");

        Assert.Equal(
            $"atlas: Azurite (pid {run.Pids[0]}) was killed by SIGKILL (exit code 137), so everything else was stopped; its log is .azurite/azurite.log.",
            run.LastLines(2)[0]);
    }

    private static async Task<Run> SuperviseAsync(string host, string then)
    {
        var script = $$"""
            source ./atlas
            sleep 60 & started Azurite "its log is .azurite/azurite.log"
            sleep 60 & started "the fake Stripe" "its output is above"
            {{host}} & started "the Functions host" "its log is above"
            echo "pids ${pids[*]}"
            {{then}}
            supervise
            """;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Azurite.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);

        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        try
        {
            await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"supervise did not return within 30 s; it said: {await stderr}");
        }

        var pids = (await stdout).Split('\n').Single(line => line.StartsWith("pids ", StringComparison.Ordinal))[5..]
            .Split(' ').Select(int.Parse).ToArray();
        return new Run(bash.ExitCode, pids, (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record Run(int ExitCode, int[] Pids, string[] Stderr)
    {
        public string[] LastLines(int count) => Stderr[^count..];
    }
}
