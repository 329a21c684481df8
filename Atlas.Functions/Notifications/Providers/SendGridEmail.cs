using Atlas.Functions.Lifecycles;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Atlas.Functions.Notifications.Providers;

/// <summary>
/// Email through SendGrid's Mail Send API with SendGrid's own client. The effect's key goes with the mail as the
/// custom arg <c>atlas_key</c> (SendGrid's event webhook reports it back) and each send is claimed in the
/// <see cref="DeliveryLog"/>, so a redelivered effect mails once. 429, 5xx, 401/403 and network failures go back to the
/// queue (after SendGrid's Retry-After, or backing off); any other refusal is recorded and not retried.
/// </summary>
public sealed class SendGridEmail(SendGridOptions options, string from, HttpClient http, DeliveryLog deliveries, ILogger<SendGridEmail> logger) : IEmailSender
{
    public const string Channel = "email";

    private readonly SendGridClient _sendGrid = new(http, new SendGridClientOptions { ApiKey = options.ApiKey, Host = options.BaseUrl.ToString().TrimEnd('/') });

    public async Task SendAsync(EmailMessage message, string idempotencyKey, CancellationToken ct)
    {
        if (await deliveries.ClaimAsync(Channel, idempotencyKey, ct) == DeliveryLog.Claim.Done)
        {
            return;
        }

        var mail = MailHelper.CreateSingleEmail(new EmailAddress(from, "Atlas"), new EmailAddress(message.To), message.Subject, message.Text, null);
        mail.AddCustomArg("atlas_key", idempotencyKey);
        mail.AddCategory(message.Kind);
        Response response;
        try
        {
            response = await _sendGrid.SendEmailAsync(mail, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new RetryLaterException(await deliveries.FailedAsync(Channel, idempotencyKey, null, ct), $"SendGrid could not be reached: {e.Message}");
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
            await deliveries.SentAsync(Channel, idempotencyKey, id, ct);
        }
        else if (status is 429 or >= 500 or 401 or 403)
        {
            var delay = await deliveries.FailedAsync(Channel, idempotencyKey, response.Headers.RetryAfter?.Delta, ct);
            throw new RetryLaterException(delay, $"SendGrid answered {status}.");
        }
        else
        {
            logger.LogWarning("SendGrid refused a {Kind} email for good: {Status}", message.Kind, status);
            await deliveries.RefusedAsync(Channel, idempotencyKey, $"sendgrid {status}", ct);
        }
    }
}
