using System.Text;
using Stripe;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Stripe's webhook signature, checked by Stripe.net's <see cref="EventUtility"/>: <c>Stripe-Signature: t=…,v1=…[,v1=…]</c>,
/// each v1 the HMAC-SHA256 of "t.rawbody" keyed with an endpoint secret. Every configured secret is tried, so a
/// secret being rotated and its successor both verify; a timestamp further than the tolerance from now fails.
/// </summary>
public static class StripeSignature
{
    public static bool IsValid(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        // Stripe signs the UTF-8 bytes it sends; decoding and Stripe.net's re-encoding give those bytes back.
        var json = Encoding.UTF8.GetString(body);
        foreach (var secret in secrets)
        {
            try
            {
                EventUtility.ValidateSignature(json, header, secret, (long)tolerance.TotalSeconds, now.ToUnixTimeSeconds());
                return true;
            }
            catch (Exception e) when (e is StripeException or FormatException or OverflowException or ArgumentException)
            {
                // Not this secret, or a header that says nothing valid.
            }
        }

        return false;
    }
}
