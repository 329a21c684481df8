using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Atlas.LocalHost.Functions;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>
/// What <c>dotnet publish</c> writes is what Azure's Functions host runs: its <c>functions.metadata</c>
/// names the same functions, triggers, routes, methods, queues and schedules as the local host served from the
/// worker's own indexing, its <c>extensions.json</c> brings the extensions those triggers need, and its
/// <c>host.json</c> is the one the local host read.
/// </summary>
public sealed class PublishedAppTests(PublishedAppTests.Published published) : IClassFixture<PublishedAppTests.Published>
{
    [Fact]
    public async Task Functions_metadata_declares_what_the_local_host_served()
    {
        await using var app = new AtlasAppFactory();
        var served = Describe(app.App.Host.Functions);

        var declared = Describe(published.FunctionsMetadata);

        Assert.NotEmpty(served);
        Assert.Equal(served, declared);
    }

    [Fact]
    public void Extensions_json_brings_the_queue_extension_and_the_worker_indexed_metadata_loader()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Directory, "extensions.json")));
        var extensions = document.RootElement.GetProperty("extensions").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("hintPath").GetString()!);

        Assert.Contains("AzureStorageQueues", extensions.Keys);
        Assert.Contains("Startup", extensions.Keys); // FunctionMetadataLoader: the host asks the worker for its functions
        Assert.All(extensions.Values, hint => Assert.True(File.Exists(Path.Combine(published.Directory, hint)), $"{hint} is not in the published folder"));
    }

    [Fact]
    public void Host_json_and_the_worker_config_are_those_the_local_host_ran()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(LocalApp.AppDirectory, "host.json")), File.ReadAllText(Path.Combine(published.Directory, "host.json")));

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Directory, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Atlas.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
    }

    private static List<string> Describe(IEnumerable<ServedFunction> functions) =>
    [
        .. functions
            .Select(f => $"{f.Name}: {f.TriggerType} {f.Route} [{string.Join(",", f.Methods)}] {f.QueueName} {f.Schedule}")
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>One <c>dotnet publish</c> for the class, into a folder of its own, of the build these tests run against
    /// (<c>--no-build</c>, its configuration): the layout publish writes (functions.metadata, extensions.json,
    /// worker.config.json) is the same in Debug and Release, and building Release again took half a minute of the run.</summary>
    public sealed class Published : IDisposable
    {
        public Published()
        {
            Directory = Path.Combine(Path.GetTempPath(), "atlas-publish-" + Guid.NewGuid().ToString("n"));
            var project = Path.Combine(Azurite.RepositoryRoot(), "Atlas.Functions", "Atlas.Functions.csproj");

            // No build servers left behind: they would hold the test run's output open.
            var configuration = typeof(Published).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "--no-build", "-o", Directory, "--nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = publish.StandardOutput.ReadToEndAsync();
            var errors = publish.StandardError.ReadToEndAsync();
            if (!publish.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                publish.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet publish took more than five minutes.");
            }

            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{output.Result}\n{errors.Result}");
            }

            using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "functions.metadata")));
            FunctionsMetadata = [.. metadata.RootElement.EnumerateArray().Select(FromMetadata)];
        }

        public string Directory { get; }

        public IReadOnlyList<ServedFunction> FunctionsMetadata { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

        private static ServedFunction FromMetadata(JsonElement function)
        {
            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            string? Text(string name) => trigger.TryGetProperty(name, out var value) ? value.GetString() : null;
            IReadOnlyList<string> methods = trigger.TryGetProperty("methods", out var list) ? [.. list.EnumerateArray().Select(m => m.GetString()!)] : [];

            return new ServedFunction(function.GetProperty("name").GetString()!, Text("type")!, Text("route"), methods, Text("queueName"), Text("schedule"));
        }
    }
}
