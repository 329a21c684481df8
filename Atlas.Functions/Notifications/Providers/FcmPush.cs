using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Google.Apis.Auth.OAuth2;

namespace Atlas.Functions.Notifications.Providers;

/// <summary>
/// Push notices through Firebase Cloud Messaging's HTTP v1 API: each notice to each of the user's devices, with an
/// OAuth2 access token from the service account (Google's credential caches it until it nears expiry). Each device's
/// send is claimed in the <see cref="DeliveryLog"/>, so a retry reaches only the devices it missed. A dead token
/// (<c>UNREGISTERED</c>, <c>INVALID_ARGUMENT</c>, a token of another project) removes its device; <c>QUOTA_EXCEEDED</c>,
/// <c>UNAVAILABLE</c> and 5xx leave the device to a retry after FCM's Retry-After (or a back-off); one device failing
/// stops no other.
/// </summary>
public sealed class FcmPush(FcmOptions options, HttpClient http, Devices devices, DeliveryLog deliveries, ILogger<FcmPush> logger) : IPushSender
{
    public const string Channel = "push";
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private static readonly string[] DeadToken = ["UNREGISTERED", "INVALID_ARGUMENT", "SENDER_ID_MISMATCH"];

    private readonly ITokenAccess _credential =
        CredentialFactory.FromJson<ServiceAccountCredential>(options.ServiceAccountJson!).ToGoogleCredential().CreateScoped(Scope);

    private readonly Uri _send = new(options.BaseUrl, $"v1/projects/{options.ProjectId}/messages:send");

    public async Task SendAsync(PushMessage message, string idempotencyKey, CancellationToken ct)
    {
        TimeSpan? retryAfter = null;
        foreach (var device in await devices.ListAsync(message.UserId, ct))
        {
            var key = $"{idempotencyKey}@{device.DeviceId}";
            try
            {
                if (await deliveries.ClaimAsync(Channel, key, ct) == DeliveryLog.Claim.Send)
                {
                    await SendToAsync(device, message, key, ct);
                }
            }
            catch (RetryLaterException later)
            {
                retryAfter = retryAfter > later.Delay ? retryAfter : later.Delay;
            }
        }

        if (retryAfter is { } delay)
        {
            throw new RetryLaterException(delay, $"FCM did not take notice {message.Topic} for every device of user {message.UserId}.");
        }
    }

    private async Task SendToAsync(Device device, PushMessage message, string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _send) { Content = JsonContent.Create(Body(device, message)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _credential.GetAccessTokenForRequestAsync(cancellationToken: ct));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new RetryLaterException(await deliveries.FailedAsync(Channel, key, null, ct), $"FCM could not be reached: {e.Message}");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var name = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("name").GetString();
                await deliveries.SentAsync(Channel, key, name, ct);
                return;
            }

            var error = await ErrorCodeAsync(response, ct);
            if (DeadToken.Contains(error) || response.StatusCode == HttpStatusCode.NotFound)
            {
                logger.LogInformation("FCM says device {DeviceId} of user {UserId} is gone ({Error}): removed", device.DeviceId, device.UserId, error);
                await devices.RemoveIfTokenAsync(device.UserId, device.DeviceId, device.Token, ct);
                await deliveries.RefusedAsync(Channel, key, error ?? "not found", ct);
                return;
            }

            var delay = await deliveries.FailedAsync(Channel, key, response.Headers.RetryAfter?.Delta, ct);
            logger.LogWarning("FCM answered {Status} ({Error}) for a device of user {UserId}; trying again in {Delay}", (int)response.StatusCode, error, device.UserId, delay);
            throw new RetryLaterException(delay, $"FCM answered {(int)response.StatusCode} {error}.");
        }
    }

    private static object Body(Device device, PushMessage message) => new
    {
        message = new
        {
            token = device.Token,
            notification = new { title = message.Title, body = message.Text },
            data = new Dictionary<string, string>
            {
                ["topic"] = message.Topic,
                ["bookingId"] = message.BookingId,
                ["rideId"] = message.RideId ?? "",
            },
            android = new { priority = "high" },
            apns = new { headers = new Dictionary<string, string> { ["apns-priority"] = "10" } },
        },
    };

    /// <summary>FCM's own error code (details[].errorCode), else the status ("RESOURCE_EXHAUSTED").</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("error");
            if (error.TryGetProperty("details", out var details))
            {
                foreach (var detail in details.EnumerateArray())
                {
                    if (detail.TryGetProperty("errorCode", out var code))
                    {
                        return code.GetString();
                    }
                }
            }

            return error.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
