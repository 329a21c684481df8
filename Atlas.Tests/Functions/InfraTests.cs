using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Testing;

namespace Atlas.Tests.Functions;

/// <summary>
/// infra/ is Bicep that deploys, though nothing is deployed from here (no Azure account): it builds and passes the
/// linter with every rule an error (infra/bicepconfig.json), with the Bicep CLI restored as a NuGet package; and every
/// setting Atlas reads has a home in Azure — set by the function app's Bicep, or marked local-only in the sample — while
/// the Bicep sets nothing the app does not read.
/// </summary>
public sealed partial class InfraTests
{
    private static readonly string Root = Azurite.RepositoryRoot();
    private static readonly string Bicep = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    // What the platform reads rather than Atlas: the storage identity for the host, Durable and Atlas alike.
    private static readonly string[] PlatformSettings =
        ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential"];

    [Fact]
    public async Task The_templates_build()
    {
        var (code, output) = await BicepAsync("build", Path.Combine(Root, "infra", "main.bicep"), "--stdout");

        Assert.True(code == 0, output);
        Assert.Contains("Microsoft.Web/sites", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_templates_pass_the_linter_with_every_rule_an_error()
    {
        var (code, output) = await BicepAsync("lint", Path.Combine(Root, "infra", "main.bicep"));

        Assert.True(code == 0, output);
        Assert.DoesNotContain("Warning", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_in_the_sample_is_set_by_the_bicep_or_marked_local_only()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var localOnly = sample.GetProperty("//LocalOnly").GetString()!.Split(':')[0].Split(',', StringSplitOptions.TrimEntries);
        var inSample = sample.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith("//", StringComparison.Ordinal)).ToList();
        var inBicep = BicepSettings();

        var homeless = inSample.Except(inBicep).Except(localOnly).ToList();
        var unread = inBicep.Except(inSample).Except(PlatformSettings).ToList();

        Assert.True(homeless.Count == 0, "Neither set by infra/modules/functionapp.bicep nor local-only: " + string.Join(", ", homeless));
        Assert.True(unread.Count == 0, "Set by the Bicep but read by nothing in local.settings.sample.json: " + string.Join(", ", unread));
        Assert.All(localOnly, name => Assert.Contains(name, inSample));
    }

    /// <summary>The names in the <c>settings</c> object of the function app's Bicep.</summary>
    private static List<string> BicepSettings()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));
        var block = bicep[bicep.IndexOf("var settings = {", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("\n}", StringComparison.Ordinal)];
        return [.. SettingName().Matches(block).Select(m => m.Groups[1].Value)];
    }

    internal static async Task<(int Code, string Output)> BicepAsync(params string[] arguments)
    {
        using var bicep = Process.Start(new ProcessStartInfo(Bicep, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = bicep.StandardOutput.ReadToEndAsync();
        var errors = bicep.StandardError.ReadToEndAsync();
        await bicep.WaitForExitAsync();
        return (bicep.ExitCode, await output + await errors);
    }

    [GeneratedRegex(@"^\s+'?([A-Za-z_][A-Za-z0-9_-]*)'?:", RegexOptions.Multiline)]
    private static partial Regex SettingName();
}
