using System.Text.Json;
using Atlas.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Atlas.Tests.OpsConsole;

/// <summary>The console as a person uses it: open it, sign in by phone and code, and the checks every view gets
/// (axe-core's accessibility rules, a screenshot for docs/console.md).</summary>
public static class ConsolePages
{
    public static Uri Address(AtlasAppFactory app, string hash = "") => new(app.App.BaseAddress, "api/console/" + hash);

    /// <summary>Signs the phone in through the page; returns the session the app answered (its tokens, as the page
    /// holds them in memory).</summary>
    public static async Task<JsonElement> SignInAsync(IPage page, AtlasAppFactory app, string phone)
    {
        await page.GotoAsync(Address(app).ToString());
        await page.GetByLabel("Phone number").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a code" }).ClickAsync();
        await page.GetByLabel("Code from the text").WaitForAsync();
        var code = await Accounts.LatestCodeAsync(app, app.CreateClient(), phone);
        await page.GetByLabel("Code from the text").FillAsync(code);
        var verified = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url.EndsWith("/api/auth/otp/verify", StringComparison.Ordinal));
        Assert.Equal(200, verified.Status);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        return JsonDocument.Parse(await verified.TextAsync()).RootElement.Clone();
    }

    /// <summary>Goes to a view by its address, as a person typing it or following a link would, and waits for its
    /// heading.</summary>
    public static async Task GoAsync(IPage page, string hash, string heading)
    {
        await page.EvaluateAsync("h => { location.hash = h; }", hash);
        await page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1, Exact = true }).WaitForAsync();
    }

    /// <summary>axe-core over the page as it stands: no serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)
            """);
        Assert.True(violations.GetArrayLength() == 0, $"{await page.TitleAsync()}: {violations}");
    }

    /// <summary>The view as it looks, into docs/console/{name}.png (docs/console.md shows them).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(ConsoleBrowser.RepoRoot, "docs", "console");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }

    /// <summary>Waits until the text is on the page (the views refresh themselves every few seconds).</summary>
    public static Task SeesAsync(IPage page, string text, float timeoutMs = 15_000) =>
        page.GetByText(text, new() { Exact = false }).First.WaitForAsync(new() { Timeout = timeoutMs });
}
