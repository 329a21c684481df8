using System.Text.Json;

namespace Atlas.LocalHost.Configuration;

/// <summary>A built isolated worker app: its folder, its entry assembly and its host.json.</summary>
internal sealed record FunctionApp(string Directory, string AssemblyPath, HostJson HostJson)
{
    public static FunctionApp Load(string directory, AppSettings settings)
    {
        var fullDirectory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(fullDirectory))
        {
            throw new DirectoryNotFoundException($"The function app folder '{fullDirectory}' does not exist.");
        }

        var assembly = Path.Combine(fullDirectory, FindWorkerPath(fullDirectory));
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"The worker assembly '{assembly}' does not exist. Build the app first.", assembly);
        }

        return new FunctionApp(fullDirectory, assembly, HostJson.Load(fullDirectory, settings));
    }

    // The Worker SDK writes worker.config.json naming the entry assembly; the real host reads the same file.
    private static string FindWorkerPath(string directory)
    {
        var config = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(config))
        {
            throw new FileNotFoundException(
                $"'{config}' is missing: is '{directory}' the output of a Microsoft.Azure.Functions.Worker.Sdk build?", config);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(config));
        return document.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString()
            ?? throw new InvalidDataException($"'{config}' has no description.defaultWorkerPath.");
    }
}
