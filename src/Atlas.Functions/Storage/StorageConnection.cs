namespace Atlas.Functions.Storage;

/// <summary>The parts of an Azure Storage connection string the queue client needs (the table SDK parses its own).</summary>
public sealed record StorageConnection(string AccountName, byte[] AccountKey, Uri QueueEndpoint)
{
    /// <summary>Azurite's well-known development account; the key is public by design.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    public const string DevelopmentKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static StorageConnection Parse(string connectionString)
    {
        var parts = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            return new StorageConnection(
                DevelopmentAccount,
                Convert.FromBase64String(DevelopmentKey),
                new Uri($"http://127.0.0.1:10001/{DevelopmentAccount}"));
        }

        if (!parts.TryGetValue("AccountName", out var name) || !parts.TryGetValue("AccountKey", out var key))
        {
            throw new FormatException("The storage connection string needs AccountName and AccountKey (or UseDevelopmentStorage=true).");
        }

        var endpoint = parts.TryGetValue("QueueEndpoint", out var explicitEndpoint)
            ? explicitEndpoint
            : $"{parts.GetValueOrDefault("DefaultEndpointsProtocol", "https")}://{name}.queue.{parts.GetValueOrDefault("EndpointSuffix", "core.windows.net")}";
        return new StorageConnection(name, Convert.FromBase64String(key), new Uri(endpoint.TrimEnd('/')));
    }
}
