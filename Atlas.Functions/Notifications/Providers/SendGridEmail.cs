using Atlas.Functions.Lifecycles;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Atlas.Functions.Notifications.Providers;

/// <summary>
/// Email through SendGrid's Mail Send API with SendGrid's own client. The effect's key goes with the mail as the
/// custom arg <c>atlas_key</c> (SendGrid's event webhook reports it back) and each send is claimed in the
/// <see cref="DeliveryLog"/>, so a redelivered effect mails once. 429 and 5xx go back to the queue; any other refusal
/// is recorded and not retried.
/// </summary>
public sealed class SendGridEmail(SendGridOptions options, string from, HttpClient http, DeliveryLog deliveries, ILogger<SendGridEmail> logger) : IEmailSender
{
    public const string Channel = "email";

    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

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
        catch (HttpRequestException e)
        {
            await deliveries.FailedAsync(Channel, idempotencyKey, null, ct);
            throw new RetryLaterException(DefaultRetryAfter, $"SendGrid could not be reached: {e.Message}");
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
            await deliveries.SentAsync(Channel, idempotencyKey, id, ct);
        }
        else if (status is 429 or >= 500 or 401 or 403)
        {
            var delay = response.Headers.RetryAfter?.Delta ?? DefaultRetryAfter;
            await deliveries.FailedAsync(Channel, idempotencyKey, delay, ct);
            throw new RetryLaterException(delay, $"SendGrid answered {status}.");
        }
        else
        {
            logger.LogWarning("SendGrid refused a {Kind} email for good: {Status}", message.Kind, status);
            await deliveries.RefusedAsync(Channel, idempotencyKey, $"sendgrid {status}", ct);
        }
    }
}
