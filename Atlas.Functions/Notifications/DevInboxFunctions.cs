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
    [Function("DevSms")]
    [Anyone]
    [Responds(StatusCodes.Status200OK)]
    public static IResult ListSms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/sms")] HttpRequest http, string? phone, SmsRecorder recorder, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? Problems.NotFound("/api/dev/sms")
        : PhoneNumber.TryParse(phone, out var number)
            ? Results.Ok(new { Messages = recorder.SentTo(number.Value).Select(m => new { m.Message.To, m.Message.Body, m.SentAt }) })
            : Problems.Validation("phone", PhoneNumber.Rule);

    [Function("DevPush")]
    [Anyone]
    [Responds(StatusCodes.Status200OK)]
    public static IResult ListPush(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/push")] HttpRequest http, string? userId, PushRecorder recorder, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? Problems.NotFound("/api/dev/push")
        : userId is not null && LifecycleKeys.IsValidId(userId)
            ? Results.Ok(new { Messages = recorder.SentTo(userId).Select(p => new { p.Message.Topic, p.Message.BookingId, p.Message.RideId, p.Message.Text, p.SentAt }) })
            : Problems.Validation("userId", "userId is the id of a user (GET /api/me shows yours).");

    [Function("DevEmail")]
    [Anyone]
    [Responds(StatusCodes.Status200OK)]
    public static IResult ListEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/email")] HttpRequest http, string? to, EmailRecorder recorder, IHostEnvironment environment) =>
        !environment.IsDevelopment() ? Problems.NotFound("/api/dev/email")
        : to is { Length: > 0 and <= 254 }
            ? Results.Ok(new { Messages = recorder.SentTo(to).Select(m => new { m.Message.To, m.Message.Subject, m.Message.Text, m.Message.Kind, m.SentAt }) })
            : Problems.Validation("to", "to is the email address whose mail to list.");
}
