using System.Diagnostics;

namespace Atlas.Tests.Functions;

/// <summary>`dotnet publish` runs the app with --write-function-metadata (see Atlas.Functions.csproj); this runs
/// the built app the same way and checks it writes a function.json per function and exits.</summary>
public sealed class PublishMetadataTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("atlas-publish-");

    public void Dispose() => _output.Delete(recursive: true);

    [Fact]
    public async Task The_app_started_with_write_function_metadata_writes_every_function_json_and_exits()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _output.FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Atlas.Functions.dll"));
        start.ArgumentList.Add("--write-function-metadata");
        start.ArgumentList.Add(_output.FullName);
        start.Environment["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        var folders = _output.GetDirectories().Select(d => d.Name).Order().ToList();
        Assert.Subset(folders.ToHashSet(), new HashSet<string> { "Effects", "Notifications", "TimerScan", "Health", "StartSignIn", "VerifySignInCode", "CreateCompany" });

        // Published apps are not Development: the dev SMS inbox is not among their functions.
        Assert.DoesNotContain("DevSms", folders);
        Assert.All(folders, f => Assert.True(File.Exists(Path.Combine(_output.FullName, f, "function.json"))));
        Assert.Contains("wrote", await stdout, StringComparison.Ordinal);
    }
}
