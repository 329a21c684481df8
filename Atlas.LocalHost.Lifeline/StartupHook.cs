using System.Diagnostics;

/// <summary>
/// Ends the worker when its host goes, however the host went. In Azure a worker shares its host's sandbox and dies with
/// it; here it is a child process, which outlives a killed parent and goes on running what it had (issue 20: an orphan
/// finished a Stripe call that the next host then ran again). The host starts the worker with this hook and a pipe on
/// its stdin whose write end only the host holds and never writes to: when the host exits, crashes or is killed, the
/// OS closes that end, the read below returns, and the worker is killed outright, as its sandbox would be.
/// </summary>
internal static class StartupHook
{
    private const string HooksVariable = "DOTNET_STARTUP_HOOKS";

    public static void Initialize()
    {
        // Processes the app starts would inherit the hook, and with it a watch on a stdin that is not the host's.
        var self = typeof(StartupHook).Assembly.Location;
        var others = (Environment.GetEnvironmentVariable(HooksVariable) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !string.Equals(path, self, StringComparison.Ordinal));
        Environment.SetEnvironmentVariable(HooksVariable, string.Join(Path.PathSeparator, others) is { Length: > 0 } rest ? rest : null);

        new Thread(WaitForHostToGo) { IsBackground = true, Name = "Host lifeline" }.Start();
    }

    private static void WaitForHostToGo()
    {
        try
        {
            using var pipe = Console.OpenStandardInput();
            var buffer = new byte[16];
            while (pipe.Read(buffer) > 0)
            {
                // The host writes nothing; anything read is ignored.
            }
        }
        catch (IOException)
        {
            // A broken pipe says the same as its end: the host is gone.
        }

        // No graceful stop: that would let the function under way finish its work for a host that is no longer there.
        Process.GetCurrentProcess().Kill();
    }
}
