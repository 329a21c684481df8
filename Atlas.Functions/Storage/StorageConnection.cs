using Atlas.Functions.Hosting;
using Azure.Core;
using Azure.Identity;

namespace Atlas.Functions.Storage;

/// <summary>
/// How the app reaches one Azure Storage service, read from the settings the way the Functions host reads a connection,
/// so one set of app settings serves the host, Durable and Atlas's own clients:
/// <list type="bullet">
/// <item><c>{Name}</c>: a connection string (Azurite locally, or an account key);</item>
/// <item>or the app's Entra identity, at <c>{Name}__{service}ServiceUri</c> (e.g. <c>AzureWebJobsStorage__tableServiceUri</c>)
/// or, from <c>{Name}__accountName</c>, <c>https://{account}.{service}.core.windows.net</c>; with
/// <c>{Name}__credential = managedidentity</c> (and <c>{Name}__clientId</c> for a user-assigned identity) the managed
/// identity only, otherwise <see cref="DefaultAzureCredential"/> (a developer's az login works too).</item>
/// </list>
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? ServiceUri, TokenCredential? Credential)
{
    /// <param name="service"><c>table</c>, <c>queue</c> or <c>blob</c>.</param>
    public static StorageConnection For(IConfiguration configuration, string name, string service)
    {
        if (configuration[name] is { Length: > 0 } connectionString)
        {
            return new StorageConnection(connectionString, null, null);
        }

        var section = configuration.GetSection(name);
        var uri = section[$"{service}ServiceUri"] is { Length: > 0 } explicitUri
            ? new Uri(explicitUri, UriKind.Absolute)
            : section["accountName"] is { Length: > 0 } account
                ? new Uri($"https://{account}.{service}.core.windows.net")
                : throw new InvalidOperationException(
                    $"The setting {name} (a connection string) or {name}__accountName (the account, reached with the app's identity) is missing (see local.settings.sample.json).");
        return new StorageConnection(null, uri, AppIdentity.For(section["credential"], section["clientId"]));
    }
}
