using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Atlas.LocalHost;

// dotnet Atlas.LocalHost.dll --app <worker bin dir> [--port 7071] [--settings <local.settings.json>]
var arguments = ParseArguments(args);
if (!arguments.TryGetValue("app", out var appDirectory))
{
    Console.Error.WriteLine("Usage: Atlas.LocalHost --app <worker bin dir> [--port 7071] [--settings local.settings.json]");
    return 2;
}

var settingsPath = arguments.GetValueOrDefault("settings") ?? Path.Combine(appDirectory, "local.settings.json");
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

FunctionsHost started;
try
{
    started = await FunctionsHost.StartAsync(new FunctionsHostOptions
    {
        AppDirectory = appDirectory,
        HttpPort = int.Parse(arguments.GetValueOrDefault("port") ?? "7071", CultureInfo.InvariantCulture),
        Settings = ReadValues(settingsPath),
        EnvironmentName = Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT") is { Length: > 0 } environment ? environment : "Development",
    }, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Stopped while starting: what had started has been stopped already.
    return 0;
}

await using var host = started;

Console.WriteLine($"Listening on {host.BaseAddress}. Press Ctrl+C to stop.");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;

// Stop the host (and so the worker) in order, instead of letting the runtime end the process.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }

    return parsed;
}

// local.settings.json: {"Values": {"Name": "value", ...}}; absent means no settings. A variable already in the
// environment wins over the file, as with func start, so a one-off `Name=value ./run` needs no edit.
static Dictionary<string, string> ReadValues(string path)
{
    var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    if (!File.Exists(path))
    {
        return values;
    }

    using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
    if (document.RootElement.TryGetProperty("Values", out var section))
    {
        foreach (var setting in section.EnumerateObject().Where(s => Environment.GetEnvironmentVariable(s.Name) is null))
        {
            values[setting.Name] = setting.Value.ToString();
        }
    }

    return values;
}
