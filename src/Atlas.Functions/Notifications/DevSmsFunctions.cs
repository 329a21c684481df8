using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;

namespace Atlas.Functions.Notifications;

/// <summary>GET /api/dev/sms?phone=: what the development sender "sent" to a phone. Declared in Development only.</summary>
public static class DevSmsFunctions
{
    public static void Declare(FunctionCatalog catalog, IServiceProvider services) =>
        catalog.Http("DevSms", "GET", "dev/sms", Access.Anyone, List);

    private static IResult List(string? phone, SmsRecorder recorder) =>
        PhoneNumber.TryParse(phone, out var number)
            ? Results.Ok(new { Messages = recorder.SentTo(number.Value).Select(m => new { m.To, m.Body, m.SentAt }) })
            : Problems.Validation("phone", PhoneNumber.Rule);
}
