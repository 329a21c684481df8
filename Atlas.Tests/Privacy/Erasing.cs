using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Privacy;

/// <summary>Erasure the way an app asks for it: a sign-in challenge for the caller's own phone, its code, DELETE /api/me.</summary>
public static class Erasing
{
    /// <summary>Starts a challenge for the caller's phone and reads the code texted for it.</summary>
    public static async Task<(string ChallengeId, string Code)> FreshCodeAsync(AtlasAppFactory app, SignedIn caller)
    {
        var anonymous = app.CreateClient();
        var challengeId = await Accounts.StartAsync(anonymous, caller.Phone);
        return (challengeId, await Accounts.LatestCodeAsync(app, anonymous, caller.Phone));
    }

    public static async Task<HttpResponseMessage> DeleteAsync(SignedIn caller, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(body) };
        return await caller.Client.SendAsync(request);
    }

    /// <summary>Erases the caller with a fresh code and carries the erasure out; returns the 202's body.</summary>
    public static async Task<System.Text.Json.JsonElement> EraseAsync(AtlasAppFactory app, SignedIn caller)
    {
        var (challengeId, code) = await FreshCodeAsync(app, caller);
        var accepted = await HttpAssert.JsonAsync(await DeleteAsync(caller, new { challengeId, code }), HttpStatusCode.Accepted);
        await app.DrainAsync();
        return accepted;
    }

    public static async Task<System.Text.Json.JsonElement> ExportAsync(SignedIn caller) =>
        await HttpAssert.JsonAsync(await caller.Client.GetAsync("/api/me/export"));
}
