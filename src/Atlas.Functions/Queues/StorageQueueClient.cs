using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Queues;

/// <summary>
/// The queue port over the Azure Queue service REST API, signed with Shared Key. Every queue name gets the
/// configured prefix, so several apps (or test runs) can share one account.
/// </summary>
public sealed class StorageQueueClient(HttpClient http, StorageConnection connection, string namePrefix = "") : IQueueClient
{
    private const string ApiVersion = "2021-08-06";
    private readonly SharedKeySigner _signer = new(connection.AccountName, connection.AccountKey);

    public async Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken)
    {
        // 201 created, 204 already there with the same metadata.
        using var response = await RequestAsync(HttpMethod.Put, queue, null, cancellationToken);
        await EnsureAsync(response, "create queue", queue);
    }

    public async Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken cancellationToken)
    {
        var body = $"<QueueMessage><MessageText>{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}</MessageText></QueueMessage>";
        var query = initialDelay > TimeSpan.Zero ? $"?visibilitytimeout={Seconds(initialDelay)}" : "";
        using var response = await RequestAsync(HttpMethod.Post, $"{queue}/messages{query}", body, cancellationToken);
        await EnsureAsync(response, "put message", queue);
    }

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(
        string queue, int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var query = $"?numofmessages={Math.Clamp(max, 1, 32)}&visibilitytimeout={Math.Max(1, Seconds(visibilityTimeout))}";
        using var response = await RequestAsync(HttpMethod.Get, $"{queue}/messages{query}", null, cancellationToken);
        await EnsureAsync(response, "get messages", queue);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return xml.Root!.Elements("QueueMessage")
            .Select(m => new QueueMessage(
                m.Element("MessageId")!.Value,
                m.Element("PopReceipt")!.Value,
                int.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture),
                Encoding.UTF8.GetString(Convert.FromBase64String(m.Element("MessageText")!.Value))))
            .ToList();
    }

    public async Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken cancellationToken)
    {
        using var response = await RequestAsync(
            HttpMethod.Delete, $"{queue}/messages/{message.Id}?popreceipt={Uri.EscapeDataString(message.PopReceipt)}", null, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return false;
        }

        await EnsureAsync(response, "delete message", queue);
        return true;
    }

    public async Task<string?> UpdateVisibilityAsync(
        string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        using var response = await RequestAsync(
            HttpMethod.Put,
            $"{queue}/messages/{message.Id}?popreceipt={Uri.EscapeDataString(message.PopReceipt)}&visibilitytimeout={Seconds(visibilityTimeout)}",
            null,
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return null;
        }

        await EnsureAsync(response, "update message", queue);
        return response.Headers.TryGetValues("x-ms-popreceipt", out var receipts) ? receipts.First() : null;
    }

    public async Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken)
    {
        using var response = await RequestAsync(HttpMethod.Get, $"{queue}?comp=metadata", null, cancellationToken);
        await EnsureAsync(response, "get queue metadata", queue);
        return response.Headers.TryGetValues("x-ms-approximate-messages-count", out var counts)
            ? int.Parse(counts.First(), CultureInfo.InvariantCulture)
            : 0;
    }

    private async Task<HttpResponseMessage> RequestAsync(
        HttpMethod method, string pathAndQuery, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri($"{connection.QueueEndpoint}/{namePrefix}{pathAndQuery}"));
        request.Headers.Add("x-ms-version", ApiVersion);
        request.Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/xml");
        if (request.Content is not null)
        {
            // Signing reads the length and type; make them final before signing.
            request.Content.Headers.ContentLength = Encoding.UTF8.GetByteCount(body!);
        }

        _signer.Sign(request);
        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, string queue)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException(
                $"Queue '{queue}': {what} failed with {(int)response.StatusCode}: {detail}",
                null,
                response.StatusCode);
        }
    }

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);
}
