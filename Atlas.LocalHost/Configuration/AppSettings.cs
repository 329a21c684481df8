using System.Text.RegularExpressions;

namespace Atlas.LocalHost.Configuration;

/// <summary>
/// The app's settings (local.settings.json's <c>Values</c>) with the process environment behind them,
/// as the Functions host sees them.
/// </summary>
internal sealed partial class AppSettings(IReadOnlyDictionary<string, string> values)
{
    private const string HostJsonOverridePrefix = "AzureFunctionsJobHost__";

    private readonly Dictionary<string, string> _values = new(values, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>A setting by name; <c>Section:Key</c> and <c>Section__Key</c> name the same one, as in the host's configuration.</summary>
    public string? Get(string name)
    {
        string[] names = [name, name.Replace(":", "__", StringComparison.Ordinal), name.Replace("__", ":", StringComparison.Ordinal)];
        foreach (var candidate in names)
        {
            if (_values.TryGetValue(candidate, out var value))
            {
                return value;
            }
        }

        return names.Select(Environment.GetEnvironmentVariable).FirstOrDefault(value => value is not null);
    }

    /// <summary>A connection name's value: the setting of that name, else <c>AzureWebJobs&lt;name&gt;</c>, as the host resolves it.</summary>
    public string? ConnectionString(string name) => Get(name) ?? Get($"AzureWebJobs{name}");

    /// <summary>
    /// host.json values set by app settings, as the real host allows: <c>AzureFunctionsJobHost__extensions__queues__batchSize</c>
    /// (or <c>AzureFunctionsJobHost:extensions:queues:batchSize</c>) overrides <c>extensions.queues.batchSize</c>.
    /// </summary>
    public IEnumerable<(string[] Path, string Value)> HostJsonOverrides() =>
        _values
            .Select(setting => (Key: setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value))
            .Where(setting => setting.Key.StartsWith(HostJsonOverridePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(setting => (setting.Key[HostJsonOverridePrefix.Length..].Split("__"), setting.Value));

    /// <summary>Replaces each <c>%Name%</c> with the setting's value, as binding expressions do.</summary>
    public string Resolve(string text) => SettingReference().Replace(text, match =>
    {
        var name = match.Groups["name"].Value;
        return Get(name) ?? throw new InvalidOperationException($"'%{name}%' does not resolve to a value.");
    });

    /// <summary><c>AzureWebJobs.&lt;name&gt;.Disabled</c> switches a function's trigger off.</summary>
    public bool IsFunctionDisabled(string functionName) =>
        bool.TryParse(Get($"AzureWebJobs.{functionName}.Disabled"), out var disabled) && disabled;

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex SettingReference();
}
