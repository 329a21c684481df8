using System.Net;
using System.Text;
using System.Text.Json;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Atlas.Tests.Auth;

/// <summary>The attacks on access tokens: each one is a 401 on a route that needs a signed-in caller.</summary>
public sealed class AccessTokenTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private static readonly SymmetricSecurityKey TestKey = new(Convert.FromBase64String(TestSettings.SigningSecret)) { KeyId = TestSettings.SigningKeyId };

    private async Task<HttpResponseMessage> GetMe(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>A token like the app's, with one thing changed by the test.</summary>
    internal static string Token(TimeProvider clock, SecurityKey? key = null) => Token(clock, key, "atlas", "atlas-api", "at+jwt", null, null);

    private string Token(
        SecurityKey? key = null,
        string issuer = "atlas",
        string audience = "atlas-api",
        string type = "at+jwt",
        DateTime? notBefore = null,
        DateTime? expires = null) => Token(app.Clock, key, issuer, audience, type, notBefore, expires);

    private static string Token(TimeProvider clock, SecurityKey? key, string issuer, string audience, string type, DateTime? notBefore, DateTime? expires)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            TokenType = type,
            IssuedAt = now,
            NotBefore = notBefore ?? now,
            Expires = expires ?? now.AddMinutes(15),
            Claims = new Dictionary<string, object> { ["sub"] = "usr_x", ["sid"] = "ses_x", ["phone_number"] = "+15550000000", ["role"] = "platformAdmin" },
            SigningCredentials = new SigningCredentials(key ?? TestKey, SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task A_token_made_like_the_apps_is_accepted()
    {
        // The control for every case below: only the one change makes them fail.
        await HttpAssert.JsonAsync(await GetMe(Token()));
    }

    [Fact]
    public async Task A_missing_bearer_is_401()
    {
        await HttpAssert.ProblemAsync(await GetMe(null), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Alg_none_is_401()
    {
        var header = Base64Url("""{"alg":"none","typ":"at+jwt","kid":"test-1"}""");
        var payload = Token().Split('.')[1];

        await HttpAssert.ProblemAsync(await GetMe($"{header}.{payload}."), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_under_our_kid_is_401()
    {
        var other = new SymmetricSecurityKey(Enumerable.Repeat((byte)7, 32).ToArray()) { KeyId = TestSettings.SigningKeyId };

        await HttpAssert.ProblemAsync(await GetMe(Token(other)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tampered_payload_is_401()
    {
        var parts = Token().Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, object>>(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])))!;
        claims["sub"] = "usr_someone_else";

        await HttpAssert.ProblemAsync(await GetMe($"{parts[0]}.{Base64Url(JsonSerializer.Serialize(claims))}.{parts[2]}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;

        await HttpAssert.ProblemAsync(await GetMe(Token(notBefore: now.AddMinutes(-20), expires: now.AddMinutes(-1))), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_401()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;

        await HttpAssert.ProblemAsync(await GetMe(Token(notBefore: now.AddMinutes(5), expires: now.AddMinutes(20))), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_issuer_audience_or_type_is_401()
    {
        await HttpAssert.ProblemAsync(await GetMe(Token(issuer: "someone-else")), HttpStatusCode.Unauthorized);
        await HttpAssert.ProblemAsync(await GetMe(Token(audience: "another-api")), HttpStatusCode.Unauthorized);
        await HttpAssert.ProblemAsync(await GetMe(Token(type: "JWT")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_kid_is_401_even_with_the_right_secret()
    {
        var renamed = new SymmetricSecurityKey(Convert.FromBase64String(TestSettings.SigningSecret)) { KeyId = "not-ours" };

        var response = await GetMe(Token(renamed));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_apps_own_token_expires_after_15_minutes_by_its_clock()
    {
        var signedIn = await Accounts.SignInAsync(app);
        await HttpAssert.JsonAsync(await signedIn.Client.GetAsync("/api/me"));

        app.Clock.Advance(TimeSpan.FromMinutes(16));

        await HttpAssert.ProblemAsync(await signedIn.Client.GetAsync("/api/me"), HttpStatusCode.Unauthorized);
    }

    private static string Base64Url(string text) => Base64UrlEncoder.Encode(text);
}

/// <summary>Signing keys rotated: an app of its own, with a second key that signs from now on.</summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task During_a_rotation_the_new_key_signs_and_the_previous_key_still_verifies()
    {
        var newSecret = Convert.ToBase64String(Enumerable.Repeat((byte)42, 32).ToArray());
        await using var rotated = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["Auth:SigningKeys:1:Id"] = "test-2",
            ["Auth:SigningKeys:1:Secret"] = newSecret,
            ["Auth:CurrentKeyId"] = "test-2",
        });

        var signedIn = await Accounts.SignInAsync(rotated);
        var oldKeyToken = AccessTokenTests.Token(rotated.Clock);

        Assert.Equal("test-2", new JsonWebToken(signedIn.AccessToken).Kid);
        await HttpAssert.JsonAsync(await signedIn.Client.GetAsync("/api/me"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", oldKeyToken);
        await HttpAssert.JsonAsync(await rotated.CreateClient().SendAsync(request));
    }
}
