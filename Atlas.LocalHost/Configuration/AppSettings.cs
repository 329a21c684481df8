using System.Text.RegularExpressions;

namespace Atlas.LocalHost.Configuration;

/// <summary>
/// The app's settings (local.settings.json's <c>Values</c>) with the process environment behind them,
/// as the Functions host sees them.
/// </summary>
internal sealed partial class AppSettings(IReadOnlyDictionary<string, string> values)
{
    private readonly Dictionary<string, string> _values = new(values, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

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
