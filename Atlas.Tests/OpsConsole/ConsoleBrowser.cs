using Microsoft.Playwright;

namespace Atlas.Tests.OpsConsole;

/// <summary>
/// One headless Chromium for a test class, driven by Playwright: Debian's <c>chromium</c> package (./atlas test and
/// .ci/run install it when missing; Playwright's own browser download is not used). Each test opens its own context
/// (no shared cookies or storage), with axe-core loaded into every page for the accessibility checks.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The repository's root, where docs/ and node_modules/ are.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"The console's browser tests need Debian's chromium at {ChromiumPath}: ./atlas test installs it (apt-get install chromium).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Without the background-networking flags the browser's own calls out are refused by a closed network
            // and slow it down; the sandbox needs privileges a container does not give.
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    /// <summary>A fresh page in a context of its own, 1200×800, with axe-core ready in it.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 800 }, Locale = "en-GB" });
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync(scriptPath: Path.Combine(RepoRoot, "node_modules", "axe-core", "axe.min.js"));
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Atlas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Atlas.sln was not found above " + AppContext.BaseDirectory);
    }
}
