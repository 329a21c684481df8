using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Notifications;

/// <summary>What the development senders "sent": GET /api/dev/sms?phone= and GET /api/dev/push?userId=.
/// Declared in Development only.</summary>
public static class DevInboxFunctions
{
    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("DevSms", "GET", "dev/sms", Access.Anyone, ListSms)
        .Http("DevPush", "GET", "dev/push", Access.Anyone, ListPush);

    private static IResult ListSms(string? phone, SmsRecorder recorder) =>
        PhoneNumber.TryParse(phone, out var number)
            ? Results.Ok(new { Messages = recorder.SentTo(number.Value).Select(m => new { m.Message.To, m.Message.Body, m.SentAt }) })
            : Problems.Validation("phone", PhoneNumber.Rule);

    private static IResult ListPush(string? userId, PushRecorder recorder) =>
        userId is not null && LifecycleKeys.IsValidId(userId)
            ? Results.Ok(new { Messages = recorder.SentTo(userId).Select(p => new { p.Message.Topic, p.Message.BookingId, p.Message.RideId, p.Message.Text, p.SentAt }) })
            : Problems.Validation("userId", "userId is the id of a user (GET /api/me shows yours).");
}
