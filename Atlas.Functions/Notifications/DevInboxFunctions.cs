using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Notifications;

/// <summary>What the development senders "sent": GET /api/dev/sms?phone=, GET /api/dev/push?userId= and GET /api/dev/email?to=.
/// They exist in Development only: elsewhere they answer 404, as a path nothing serves.</summary>
public static class DevInboxFunctions
{
    public sealed record SmsInbox(IReadOnlyList<SmsItem> Messages);

    public sealed record SmsItem(string To, string Body, DateTimeOffset SentAt);

    public sealed record PushInbox(IReadOnlyList<PushItem> Messages);

    public sealed record PushItem(string Topic, string BookingId, string? RideId, string Text, DateTimeOffset SentAt);

    public sealed record EmailInbox(IReadOnlyList<EmailItem> Messages);

    public sealed record EmailItem(string To, string Subject, string Text, string Kind, DateTimeOffset SentAt);

    [Function("DevSms")]
    [Anyone]
    [DevelopmentOnly]
    [Responds(StatusCodes.Status200OK, typeof(SmsInbox))]
    public static IResult ListSms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/sms")] HttpRequest http, [Required] string? phone, SmsRecorder recorder, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? Problems.NotFound("/api/dev/sms")
        : PhoneNumber.TryParse(phone, out var number)
            ? Results.Ok(new SmsInbox([.. recorder.SentTo(number.Value).Select(m => new SmsItem(m.Message.To, m.Message.Body, m.SentAt))]))
            : Problems.Validation("phone", PhoneNumber.Rule);

    [Function("DevPush")]
    [Anyone]
    [DevelopmentOnly]
    [Responds(StatusCodes.Status200OK, typeof(PushInbox))]
    public static IResult ListPush(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/push")] HttpRequest http, [Required] string? userId, PushRecorder recorder, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? Problems.NotFound("/api/dev/push")
        : userId is not null && LifecycleKeys.IsValidId(userId)
            ? Results.Ok(new PushInbox([.. recorder.SentTo(userId).Select(p => new PushItem(p.Message.Topic, p.Message.BookingId, p.Message.RideId, p.Message.Text, p.SentAt))]))
            : Problems.Validation("userId", "userId is the id of a user (GET /api/me shows yours).");

    [Function("DevEmail")]
    [Anyone]
    [DevelopmentOnly]
    [Responds(StatusCodes.Status200OK, typeof(EmailInbox))]
    public static IResult ListEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/email")] HttpRequest http, [Required] string? to, EmailRecorder recorder, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? Problems.NotFound("/api/dev/email")
        : to is { Length: > 0 and <= 254 }
            ? Results.Ok(new EmailInbox([.. recorder.SentTo(to).Select(m => new EmailItem(m.Message.To, m.Message.Subject, m.Message.Text, m.Message.Kind, m.SentAt))]))
            : Problems.Validation("to", "to is the email address whose mail to list.");
}
