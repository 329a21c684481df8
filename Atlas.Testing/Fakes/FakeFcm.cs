using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Atlas.Testing.Fakes;

/// <summary>A push FCM took.</summary>
public sealed record FakePush(string Token, string Title, string Body, IReadOnlyDictionary<string, string> Data);

/// <summary>
/// Firebase Cloud Messaging's HTTP v1 send (<c>POST /v1/projects/{project}/messages:send</c>) and Google's OAuth token
/// endpoint (<c>POST /token</c>, the service account's <c>token_uri</c>): the token is issued for a JWT assertion signed
/// with the service account's key, and a send needs one. Tokens can be made dead (<c>UNREGISTERED</c>) or busy
/// (<c>UNAVAILABLE</c> with a Retry-After).
/// </summary>
public sealed class FakeFcm : LoopbackFake
{
    public const string ProjectId = "atlas-test";
    public const string ClientEmail = "atlas-push@atlas-test.iam.gserviceaccount.com";

    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentQueue<FakePush> _pushes = new();
    private readonly ConcurrentDictionary<string, byte> _issued = new();
    private readonly ConcurrentDictionary<string, (string Status, string Code)> _dead = new();
    private readonly ConcurrentDictionary<string, int> _busy = new();
    private int _tokenRequests;

    private FakeFcm()
    {
    }

    public IReadOnlyList<FakePush> Pushes => [.. _pushes];

    /// <summary>How many access tokens were asked for.</summary>
    public int TokenRequests => _tokenRequests;

    /// <summary>The service account key the app signs its token requests with (token_uri points here).</summary>
    public string ServiceAccountJson => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = ProjectId,
        ["private_key_id"] = "fake-key-1",
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = ClientEmail,
        ["client_id"] = "100000000000000000001",
        ["token_uri"] = BaseUrl + "token",
    });

    public static async Task<FakeFcm> StartAsync()
    {
        var fake = new FakeFcm();
        await fake.ListenAsync();
        return fake;
    }

    /// <summary>Sends to this token fail for good: 404 UNREGISTERED, or 400 INVALID_ARGUMENT.</summary>
    public void Kill(string token, bool invalid = false) =>
        _dead[token] = invalid ? ("INVALID_ARGUMENT", "INVALID_ARGUMENT") : ("NOT_FOUND", "UNREGISTERED");

    /// <summary>The next <paramref name="count"/> sends to this token get 503 UNAVAILABLE with Retry-After.</summary>
    public void Busy(string token, int count = 1) => _busy[token] = count;

    protected override void Map(WebApplication app)
    {
        app.MapPost("/token", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _tokenRequests);
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !IsSigned(form["assertion"].ToString()))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            var token = "ya29.fake-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            _issued[token] = 0;
            return Results.Json(new { access_token = token, expires_in = 3600, token_type = "Bearer" });
        });

        app.MapPost("/v1/projects/{project}/messages:send", async (HttpContext context, string project) =>
        {
            var bearer = context.Request.Headers.Authorization.ToString();
            if (project != ProjectId || !bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.ContainsKey(bearer[7..]))
            {
                return Error(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", null);
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var message = body.RootElement.GetProperty("message");
            var token = message.GetProperty("token").GetString()!;
            if (_dead.TryGetValue(token, out var dead))
            {
                return Error(dead.Code == "UNREGISTERED" ? 404 : 400, dead.Status, dead.Code, null);
            }

            if (_busy.TryGetValue(token, out var left) && left > 0 && _busy.TryUpdate(token, left - 1, left))
            {
                return Error(503, "UNAVAILABLE", "UNAVAILABLE", context);
            }

            var notification = message.GetProperty("notification");
            _pushes.Enqueue(new FakePush(
                token,
                notification.GetProperty("title").GetString()!,
                notification.GetProperty("body").GetString()!,
                message.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)));
            return Results.Json(new { name = $"projects/{ProjectId}/messages/0:{Guid.NewGuid():N}" });
        });
    }

    private static IResult Error(int status, string code, string errorCode, HttpContext? retryAfter)
    {
        retryAfter?.Response.Headers.RetryAfter = "1";
        return Results.Json(
            new
            {
                error = new
                {
                    code = status,
                    message = errorCode,
                    status = code,
                    details = new object[] { new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = errorCode } },
                },
            },
            statusCode: status);
    }

    /// <summary>An RS256 JWT from the service account for FCM's scope.</summary>
    private bool IsSigned(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var signed = _key.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        return signed
            && claims.RootElement.GetProperty("iss").GetString() == ClientEmail
            && claims.RootElement.GetProperty("scope").GetString()!.Contains("firebase.messaging", StringComparison.Ordinal);
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
