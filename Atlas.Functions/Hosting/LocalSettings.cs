using System.Text.Json;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Atlas.Functions.Hosting;

/// <summary>
/// Reads local.settings.json from the working directory as `func start` does: its "Values" become settings
/// ("Section__Key" names a nested key), and real environment variables still win over them.
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static void AddLocalSettings(this ConfigurationManager configuration, string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var values = document.RootElement.TryGetProperty("Values", out var found) && found.ValueKind == JsonValueKind.Object
            ? found.EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.ToString())
            : [];

        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values };
        var sources = ((IConfigurationBuilder)configuration).Sources;
        var environment = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        sources.Insert(environment < 0 ? sources.Count : environment, source);
    }
}
