namespace Atlas.Functions.Integration;

/// <summary>Where business events go (section "ServiceBus"): a namespace reached with the app's identity (Azure), or a
/// connection string; with neither, the local storage queue <c>integration-events</c>.</summary>
public sealed class ServiceBusOptions
{
    public const string Section = "ServiceBus";

    /// <summary>e.g. atlas-prod.servicebus.windows.net, reached with DefaultAzureCredential (the managed identity).</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary><c>managedidentity</c>: the managed identity only (with <see cref="ClientId"/> for a user-assigned one);
    /// otherwise DefaultAzureCredential. As a Functions connection names it.</summary>
    public string? Credential { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A connection string instead (a namespace without identity access, or an emulator).</summary>
    public string? ConnectionString { get; set; }

    public string Topic { get; set; } = "atlas-events";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
}
