namespace Atlas.Functions.Notifications;

/// <summary>The port to an email provider. <paramref name="idempotencyKey"/> is the effect id (and the notice's place):
/// a redelivered effect sends once.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, string idempotencyKey, CancellationToken ct);
}

/// <param name="Kind">What it is ("receipt", "email-verification"): for the provider's categories and the logs.</param>
public sealed record EmailMessage(string To, string Subject, string Text, string Kind);
