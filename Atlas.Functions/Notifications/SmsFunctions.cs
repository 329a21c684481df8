using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Notifications.Providers;
using Microsoft.Azure.Functions.Worker;
using Twilio.Security;

namespace Atlas.Functions.Notifications;

/// <summary>Twilio's delivery status callbacks, and the texts as operators see them.</summary>
public static partial class SmsFunctions
{
    public const string SignatureHeader = "X-Twilio-Signature";

    public sealed record SmsPage(IReadOnlyList<SmsRecord> Items, string? Next);

    /// <summary>A message's status, posted by Twilio to the StatusCallback it was sent with; signed with the account's
    /// auth token over that exact URL and the form's fields (Twilio's own validator checks it).</summary>
    [Function("TwilioSmsStatus")]
    [Anyone]
    [RawBody("application/x-www-form-urlencoded", "Twilio's status callback form: MessageSid, MessageStatus, ErrorCode and the rest Twilio sends.")]
    [RequestHeader(SignatureHeader, "Twilio's signature of the callback URL and form with the account's auth token.", Required = true)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status404NotFound)]
    public static async Task<IResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/twilio/sms-status")] HttpRequest http,
        IServiceProvider services, SmsLog texts, SmsDeliveryMetrics metrics, CancellationToken ct)
    {
        if (services.GetService<TwilioOptions>() is not { } twilio)
        {
            return Problems.NotFound("/api/webhooks/twilio/sms-status (texts do not go through Twilio here)");
        }

        if (!http.HasFormContentType)
        {
            return Problems.Validation("body", "Twilio posts application/x-www-form-urlencoded.");
        }

        var form = await http.ReadFormAsync(ct);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var signature = http.Headers[SignatureHeader].ToString();
        if (signature.Length == 0 || !new RequestValidator(twilio.AuthToken).Validate(twilio.StatusCallbackUrl!, fields, signature))
        {
            return Problems.Validation(SignatureHeader, "The X-Twilio-Signature header does not sign this callback URL and form with the account's auth token.");
        }

        if (fields.GetValueOrDefault("MessageSid") is not { } sid || !MessageSid().IsMatch(sid)
            || fields.GetValueOrDefault("MessageStatus") is not { Length: > 0 and <= 20 } status)
        {
            return Problems.Validation("MessageSid", "A status callback names the message (MessageSid, SM/MM and 32 hex digits) and its MessageStatus.");
        }

        var errorCode = fields.GetValueOrDefault("ErrorCode") is { Length: > 0 and <= 10 } code ? code : null;
        // Counted once per text (a redelivered or late callback does not move the log), for the undelivered ratio's alert.
        if (await texts.UpdateAsync(sid, status, errorCode, ct) && FinalStatuses.Contains(status))
        {
            metrics.SmsDelivery(status);
        }

        return Results.NoContent();
    }

    /// <summary>Texts, newest state first per page of sids; <c>status=undelivered</c> (or failed, refused) lists those
    /// that did not arrive — a sign-in code among them is someone who could not sign in.</summary>
    [Function("ListSmsMessages")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(SmsPage))]
    public static async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/sms")] HttpRequest http,
        string? status, string? after, int? limit, SmsLog texts, CancellationToken ct)
    {
        if (status is not null && !Statuses.Contains(status))
        {
            return Problems.Validation("status", $"status is one of {string.Join(", ", Statuses)}.");
        }

        if (after is not null && !Cursor().IsMatch(after))
        {
            return Problems.Validation("after", "after is the 'next' cursor of the previous page.");
        }

        if (limit is < 1 or > Paging.MaxLimit)
        {
            return Problems.Validation("limit", $"limit is from 1 to {Paging.MaxLimit}.");
        }

        var (items, next) = await texts.ListAsync(status, after, limit ?? Paging.DefaultLimit, ct);
        return Results.Ok(new SmsPage(items, next));
    }

    private static readonly string[] FinalStatuses = ["delivered", "undelivered", "failed"];

    private static readonly string[] Statuses = ["queued", "sending", "sent", "delivered", "undelivered", "failed", "refused"];

    [GeneratedRegex("^(SM|MM)[0-9a-f]{32}$")]
    private static partial Regex MessageSid();

    [GeneratedRegex("^[A-Za-z0-9%._~-]{1,400}$")]
    private static partial Regex Cursor();
}
