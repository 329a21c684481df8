using Atlas.Functions.Hosting;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Atlas.Tests.Functions;

/// <summary>local.settings.json works as under `func start`: its Values are settings, the environment wins.</summary>
public sealed class LocalSettingsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("atlas-settings-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Values_become_settings_with_double_underscores_as_sections_and_the_environment_wins()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, LocalSettings.FileName), """
            { "IsEncrypted": false, "Values": { "Lifecycles__MaxAttempts": "3", "Auth__Issuer": "from-file" } }
            """);
        var prefix = $"ATLAS_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "Auth__Issuer", "from-environment");
        var configuration = new ConfigurationManager();
        ((IConfigurationBuilder)configuration).Sources.Add(new EnvironmentVariablesConfigurationSource { Prefix = prefix });

        configuration.AddLocalSettings(_directory.FullName);
        Environment.SetEnvironmentVariable(prefix + "Auth__Issuer", null);

        Assert.Equal("3", configuration["Lifecycles:MaxAttempts"]);
        Assert.Equal("from-environment", configuration["Auth:Issuer"]);
    }

    [Fact]
    public void Without_the_file_nothing_changes()
    {
        var configuration = new ConfigurationManager();

        configuration.AddLocalSettings(_directory.FullName);

        Assert.Null(configuration["Lifecycles:MaxAttempts"]);
    }
}
