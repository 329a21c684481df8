using System.Net;
using Atlas.Functions.Lifecycles;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Atlas.Functions.Notifications.Providers;

/// <summary>
/// Texts through Twilio's Messages API with Twilio's own client. Twilio takes no idempotency key, so each send is
/// claimed in the <see cref="DeliveryLog"/> first: a redelivered effect does not text twice. A refusal for good (an
/// invalid or unsubscribed number, a landline, a country not enabled) is recorded and not retried; 429, 5xx and
/// network failures go back to the queue, backing off (<see cref="DeliveryLog.FailedAsync"/>).
/// </summary>
public sealed class TwilioSms(TwilioOptions options, HttpClient http, DeliveryLog deliveries, SmsLog texts, ILogger<TwilioSms> logger) : ISmsSender
{
    public const string Channel = "sms";

    private readonly TwilioRestClient _twilio = new(
        options.ApiKeySid ?? options.AccountSid, options.ApiKeySecret ?? options.AuthToken, options.AccountSid, httpClient: new Twilio.Http.SystemNetHttpClient(http));

    public async Task SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct)
    {
        if (await deliveries.ClaimAsync(Channel, idempotencyKey, ct) == DeliveryLog.Claim.Done)
        {
            return;
        }

        var create = new CreateMessageOptions(new PhoneNumber(message.To)) { Body = message.Body, StatusCallback = new Uri(options.StatusCallbackUrl!) };
        if (options.MessagingServiceSid is { Length: > 0 } service)
        {
            create.MessagingServiceSid = service;
        }
        else
        {
            create.From = new PhoneNumber(options.From);
        }

        MessageResource sent;
        try
        {
            sent = await MessageResource.CreateAsync(create, _twilio);
        }
        catch (ApiException e) when (IsRefusal(e))
        {
            logger.LogWarning("Twilio refused a {Kind} text for good: error {Code} ({Status})", message.Kind, e.Code, e.Status);
            await texts.RefusedAsync(idempotencyKey, message, e.Code, ct);
            await deliveries.RefusedAsync(Channel, idempotencyKey, $"twilio {e.Code}", ct);
            return;
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException or ApiConnectionException)
        {
            var delay = await deliveries.FailedAsync(Channel, idempotencyKey, null, ct);
            throw new RetryLaterException(delay, $"Twilio did not take a {message.Kind} text: {e.Message}");
        }

        await texts.SentAsync(sent.Sid, message, sent.Status?.ToString(), ct);
        await deliveries.SentAsync(Channel, idempotencyKey, sent.Sid, ct);
    }

    /// <summary>A 4xx that retrying cannot change; 401/403 (a credential to fix) and 429 are retried.</summary>
    private static bool IsRefusal(ApiException e) =>
        e.Status is >= 400 and < 500 and not ((int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden or 429);
}
