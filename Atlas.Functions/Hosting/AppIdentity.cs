using Azure.Core;
using Azure.Identity;

namespace Atlas.Functions.Hosting;

/// <summary>The app's Entra identity for an Azure client, as a Functions connection names it: <c>credential =
/// managedidentity</c> (with <c>clientId</c> for a user-assigned identity) is the managed identity only; anything else
/// is <see cref="DefaultAzureCredential"/> (the managed identity in Azure, a developer's az login locally).</summary>
public static class AppIdentity
{
    public static TokenCredential For(string? credential, string? clientId) =>
        string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? clientId is { Length: > 0 }
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
}
