using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Atlas.Testing.Fakes;

/// <summary>A text Twilio took.</summary>
public sealed record FakeText(string Sid, string To, string Body, string? From, string? MessagingServiceSid, string? StatusCallback);

/// <summary>
/// Twilio's Messages API (<c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>) with basic auth by the account's auth
/// token or an API key, answering as Twilio does: 201 and the message, or Twilio's error body.
/// </summary>
public sealed class FakeTwilio : LoopbackFake
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "fake-twilio-auth-token-0123456789";
    private readonly ConcurrentQueue<FakeText> _texts = new();

    private FakeTwilio()
    {
    }

    public IReadOnlyList<FakeText> Texts => [.. _texts];

    public static async Task<FakeTwilio> StartAsync()
    {
        var fake = new FakeTwilio();
        await fake.ListenAsync();
        return fake;
    }

    /// <summary>The next text is refused with Twilio's error <paramref name="code"/> (21610: the number unsubscribed).</summary>
    public void Refuse(int code, int status = 400, int count = 1) =>
        Fail("/Messages.json", context => ErrorAsync(context, status, code), count);

    /// <summary>X-Twilio-Signature as Twilio computes it: HMAC-SHA1 of the URL and the form's fields sorted by name.</summary>
    public static string Sign(string url, IReadOnlyDictionary<string, string> form, string authToken = AuthToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    protected override void Map(WebApplication app) =>
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext context, string sid) =>
        {
            if (sid != AccountSid || context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")))
            {
                await ErrorAsync(context, 401, 20003);
                return;
            }

            var form = await context.Request.ReadFormAsync();
            string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
            if (Field("To") is not { Length: > 0 } to || Field("Body") is not { } body || (Field("From") is null && Field("MessagingServiceSid") is null))
            {
                await ErrorAsync(context, 400, 21604);
                return;
            }

            var text = new FakeText("SM" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), to, body, Field("From"), Field("MessagingServiceSid"), Field("StatusCallback"));
            _texts.Enqueue(text);
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
            {
                ["sid"] = text.Sid,
                ["account_sid"] = AccountSid,
                ["to"] = text.To,
                ["from"] = text.From,
                ["messaging_service_sid"] = text.MessagingServiceSid,
                ["body"] = text.Body,
                ["status"] = "queued",
                ["direction"] = "outbound-api",
                ["num_segments"] = "1",
                ["api_version"] = "2010-04-01",
                ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{text.Sid}.json",
            });
        });

    private static async Task ErrorAsync(HttpContext context, int status, int code)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { code, message = $"Twilio error {code}", more_info = $"https://www.twilio.com/docs/errors/{code}", status }));
    }
}
