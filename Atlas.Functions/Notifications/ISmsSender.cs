namespace Atlas.Functions.Notifications;

/// <summary>The port to an SMS provider. <paramref name="idempotencyKey"/> is the effect id: a provider that
/// dedupes by it sends a redelivered message once.</summary>
public interface ISmsSender
{
    Task SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct);
}

/// <param name="Kind">What it carries ("sign-in-code", or the notice's topic): shown to operators, never the body.</param>
public sealed record SmsMessage(string To, string Body, string Kind);
