using Atlas.Functions.Hosting;

namespace Atlas.Testing;

/// <summary>The settings every test app runs with: the test Azurite, its own name prefix, triggers off.</summary>
public static class TestSettings
{
    public static Dictionary<string, string?> For(string prefix, HostingMode mode = HostingMode.Standalone) => new()
    {
        [AtlasServices.StorageSetting] = Azurite.ConnectionString,
        [AtlasServices.NamePrefixSetting] = prefix,
        ["Hosting:Mode"] = mode.ToString(),
        ["Hosting:RunTriggers"] = "false",
        ["Ops:Key"] = OpsKey,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public const string OpsKey = "test-ops-key";
}
