using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Atlas.Testing.Fakes;

/// <summary>A mail SendGrid took: the first personalization's address, the subject, the plain text, the custom args.</summary>
public sealed record FakeMail(string To, string Subject, string Text, IReadOnlyDictionary<string, string> CustomArgs, IReadOnlyList<string> Categories);

/// <summary>SendGrid's Mail Send (<c>POST /v3/mail/send</c>) with bearer API-key auth: 202 and an X-Message-Id.</summary>
public sealed class FakeSendGrid : LoopbackFake
{
    public const string ApiKey = "SG.fake-sendgrid-api-key";
    private readonly ConcurrentQueue<FakeMail> _mails = new();

    private FakeSendGrid()
    {
    }

    public IReadOnlyList<FakeMail> Mails => [.. _mails];

    public static async Task<FakeSendGrid> StartAsync()
    {
        var fake = new FakeSendGrid();
        await fake.ListenAsync();
        return fake;
    }

    protected override void Map(WebApplication app) =>
        app.MapPost("/v3/mail/send", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            {
                return Results.Json(new { errors = new[] { new { message = "The provided authorization grant is invalid, expired, or revoked" } } }, statusCode: 401);
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var mail = body.RootElement;
            var personalization = mail.GetProperty("personalizations")[0];
            // Custom args may sit on the mail and on each personalization (SendGrid's client puts them on the latter).
            var custom = new[] { mail, personalization }
                .SelectMany(o => o.TryGetProperty("custom_args", out var args) ? args.EnumerateObject() : Enumerable.Empty<JsonProperty>())
                .ToDictionary(a => a.Name, a => a.Value.GetString()!);
            var categories = mail.TryGetProperty("categories", out var list) ? list.EnumerateArray().Select(c => c.GetString()!).ToList() : [];
            _mails.Enqueue(new FakeMail(
                personalization.GetProperty("to")[0].GetProperty("email").GetString()!,
                mail.TryGetProperty("subject", out var subject) ? subject.GetString()! : personalization.GetProperty("subject").GetString()!,
                mail.GetProperty("content").EnumerateArray().First(c => c.GetProperty("type").GetString() == "text/plain").GetProperty("value").GetString()!,
                custom,
                categories));
            context.Response.Headers["X-Message-Id"] = Guid.NewGuid().ToString("N");
            return Results.StatusCode(202);
        });
}
