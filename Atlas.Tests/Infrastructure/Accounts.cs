using System.Net.Http.Headers;
using System.Text.Json;
using Atlas.Testing;

namespace Atlas.Tests.Infrastructure;

/// <summary>A signed-in caller: the session the app returned and a client that sends its access token.</summary>
public sealed record SignedIn(string AccessToken, string RefreshToken, string UserId, string Phone, string Role, string? CompanyId, string? MemberId, HttpClient Client);

/// <summary>Signs phones in the way the app does it: start a challenge, deliver the SMS, read the dev SMS
/// endpoint, verify the code.</summary>
public static class Accounts
{
    private static int _next = Random.Shared.Next(1_000_000);

    /// <summary>A phone number no other test uses.</summary>
    public static string NewPhone() => $"+1555{Interlocked.Increment(ref _next) % 10_000_000:D7}";

    public static async Task<string> StartAsync(HttpClient client, string phone)
    {
        var response = await client.PostAsJsonAsync("/api/auth/otp", new { phone });
        var body = await HttpAssert.JsonAsync(response, System.Net.HttpStatusCode.Accepted);
        return body.GetProperty("challengeId").GetString()!;
    }

    /// <summary>Delivers queued texts, then reads the newest code sent to the phone.</summary>
    public static async Task<string> LatestCodeAsync(AtlasAppFactory app, HttpClient client, string phone)
    {
        await app.PumpAsync();
        if (app.LatestTextTo is { } texts)
        {
            return SmsCodes.In(texts(phone));
        }

        var inbox = await HttpAssert.JsonAsync(await client.GetAsync($"/api/dev/sms?phone={Uri.EscapeDataString(phone)}"));
        var body = inbox.GetProperty("messages")[0].GetProperty("body").GetString()!;
        return SmsCodes.In(body);
    }

    public static async Task<HttpResponseMessage> VerifyAsync(HttpClient client, string challengeId, string code) =>
        await client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId, code });

    public static async Task<SignedIn> SignInAsync(AtlasAppFactory app, string? phone = null, bool withCard = true)
    {
        phone ??= NewPhone();
        var anonymous = app.CreateClient();
        var challengeId = await StartAsync(anonymous, phone);
        var code = await LatestCodeAsync(app, anonymous, phone);
        var signedIn = Read(app, await HttpAssert.JsonAsync(await VerifyAsync(anonymous, challengeId, code)));
        if (withCard && signedIn.Role is "rider" or "dispatcher")
        {
            await AddCardAsync(signedIn);
        }

        return signedIn;
    }

    /// <summary>Gives the caller a card (a Stripe test token), as the apps do before the first booking.</summary>
    public static async Task AddCardAsync(SignedIn caller, string paymentMethodId = "pm_card_visa")
    {
        await HttpAssert.JsonAsync(await caller.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethodId }));
    }

    /// <summary>Turns a session response (sign-in or refresh) into a caller with its own client.</summary>
    public static SignedIn Read(AtlasAppFactory app, JsonElement session)
    {
        var user = session.GetProperty("user");
        var client = app.CreateClient();
        var token = session.GetProperty("accessToken").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new SignedIn(
            token,
            session.GetProperty("refreshToken").GetString()!,
            user.GetProperty("id").GetString()!,
            user.GetProperty("phone").GetString()!,
            user.GetProperty("role").GetString()!,
            user.TryGetProperty("companyId", out var company) && company.ValueKind == JsonValueKind.String ? company.GetString() : null,
            user.TryGetProperty("memberId", out var member) && member.ValueKind == JsonValueKind.String ? member.GetString() : null,
            client);
    }

    /// <summary>A fresh access token for a session whose token the test's clock has outrun.</summary>
    public static async Task<SignedIn> RefreshAsync(AtlasAppFactory app, SignedIn session) =>
        Read(app, await HttpAssert.JsonAsync(await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { session.RefreshToken })));

    /// <summary>The one configured platform admin, signed in once per app while its access token lasts (the phone
    /// may only start five sign-ins an hour).</summary>
    public static async Task<SignedIn> PlatformAdminAsync(AtlasAppFactory app)
    {
        if (app.PlatformAdmin is { } cached && app.Clock.GetUtcNow() - cached.At < TimeSpan.FromMinutes(14))
        {
            return cached.Session;
        }

        var session = await SignInAsync(app, TestSettings.PlatformAdminPhone);
        app.PlatformAdmin = (session, app.Clock.GetUtcNow());
        return session;
    }
}
