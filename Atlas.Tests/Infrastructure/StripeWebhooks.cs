using System.Text;
using System.Text.Json.Nodes;
using Atlas.FakeStripe;
using Atlas.Testing;

namespace Atlas.Tests.Infrastructure;

/// <summary>Stripe's webhooks by hand: events the fake Stripe made, signed as Stripe signs them, posted to the app.</summary>
public static class StripeWebhooks
{
    public static string Sign(AtlasAppFactory app, string body) =>
        FakeStripeServer.Sign(body, TestSettings.WebhookSecret, app.Clock.GetUtcNow().ToUnixTimeSeconds());

    public static async Task<HttpResponseMessage> PostAsync(AtlasAppFactory app, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>Posts the body signed with the endpoint's secret.</summary>
    public static Task<HttpResponseMessage> PostSignedAsync(AtlasAppFactory app, string body) => PostAsync(app, body, Sign(app, body));

    /// <summary>Stripe's events of what <paramref name="act"/> does are kept back, for the test to deliver as it likes.</summary>
    public static async Task<T> WithoutDeliveryAsync<T>(AtlasAppFactory app, Func<Task<T>> act)
    {
        var target = app.Stripe.WebhookTarget;
        app.Stripe.WebhookTarget = null;
        try
        {
            return await act();
        }
        finally
        {
            app.Stripe.WebhookTarget = target;
        }
    }

    /// <summary>The last event of <paramref name="type"/> the fake Stripe made about <paramref name="obj"/>, as JSON.</summary>
    public static string EventFor(AtlasAppFactory app, JsonObject obj, string type) =>
        app.Stripe.State.Events.Last(e => (string?)e["type"] == type && (string?)e["data"]!["object"]!["id"] == (string?)obj["id"]).ToJsonString();
}
