using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Atlas.Functions.Queues;

/// <summary>
/// Signs requests with Azure Storage Shared Key ("Authorize with Shared Key"). Azurite accepts Shared Key, not
/// Shared Key Lite. With path-style URLs the canonicalized resource repeats the account name.
/// </summary>
public sealed class SharedKeySigner(string accountName, byte[] accountKey)
{
    public void Sign(HttpRequestMessage request)
    {
        var headers = request.Headers;
        // The storage service checks this against its own clock: wall time, not the app's TimeProvider.
        headers.Remove("x-ms-date");
        headers.Add("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));

        var content = request.Content;
        var length = content?.Headers.ContentLength is > 0 ? content.Headers.ContentLength.Value.ToString(CultureInfo.InvariantCulture) : "";
        var stringToSign = string.Join(
            '\n',
            request.Method.Method,
            "", // Content-Encoding
            "", // Content-Language
            length,
            "", // Content-MD5
            content?.Headers.ContentType?.ToString() ?? "",
            "", // Date: x-ms-date is used instead
            "", // If-Modified-Since
            "", // If-Match
            "", // If-None-Match
            "", // If-Unmodified-Since
            "", // Range
            CanonicalHeaders(request) + CanonicalResource(request.RequestUri!));

        var signature = Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));
        headers.TryAddWithoutValidation("Authorization", $"SharedKey {accountName}:{signature}");
    }

    private static string CanonicalHeaders(HttpRequestMessage request)
    {
        var builder = new StringBuilder();
        foreach (var (name, values) in request.Headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (h.Key.ToLowerInvariant(), string.Join(',', h.Value)))
                     .OrderBy(h => h.Item1, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(values.Trim()).Append('\n');
        }

        return builder.ToString();
    }

    private string CanonicalResource(Uri uri)
    {
        var builder = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return builder.ToString();
        }

        foreach (var group in query.Split('&')
                     .Select(p => p.Split('=', 2))
                     .GroupBy(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = group.Select(p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "").Order(StringComparer.Ordinal);
            builder.Append('\n').Append(group.Key).Append(':').Append(string.Join(',', values));
        }

        return builder.ToString();
    }
}
