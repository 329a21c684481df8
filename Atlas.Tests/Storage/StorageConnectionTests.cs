using Atlas.Functions.Hosting;
using Atlas.Functions.Integration;
using Atlas.Functions.Storage;
using Atlas.Tests.Infrastructure;
using Azure.Identity;

namespace Atlas.Tests.Storage;

/// <summary>How the app picks its way to Azure Storage and Service Bus from settings shaped as the Functions host reads
/// a connection: a connection string locally, the app's identity in Azure.</summary>
public sealed class StorageConnectionTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void A_connection_string_is_used_as_it_is()
    {
        var connection = StorageConnection.For(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage:accountName", "ignored")), "AzureWebJobsStorage", "table");

        Assert.Equal(new StorageConnection("UseDevelopmentStorage=true", null, null), connection);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("queue")]
    [InlineData("blob")]
    public void An_account_name_is_reached_at_its_service_endpoint_with_the_default_credential(string service)
    {
        var connection = StorageConnection.For(Settings(("AzureWebJobsStorage:accountName", "atlasprod")), "AzureWebJobsStorage", service);

        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri($"https://atlasprod.{service}.core.windows.net"), connection.ServiceUri);
        Assert.IsType<DefaultAzureCredential>(connection.Credential);
    }

    [Fact]
    public void A_service_uri_wins_over_the_account_name_and_managedidentity_means_the_managed_identity_only()
    {
        var connection = StorageConnection.For(
            Settings(
                ("AzureWebJobsStorage:accountName", "atlasprod"),
                ("AzureWebJobsStorage:tableServiceUri", "https://atlasprod.table.core.usgovcloudapi.net"),
                ("AzureWebJobsStorage:credential", "managedidentity"),
                ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")),
            "AzureWebJobsStorage",
            "table");

        Assert.Equal(new Uri("https://atlasprod.table.core.usgovcloudapi.net"), connection.ServiceUri);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
    }

    [Fact]
    public void Neither_names_both_settings_to_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => StorageConnection.For(Settings(("AzureWebJobsStorage", "")), "AzureWebJobsStorage", "queue"));

        Assert.Contains("AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_apps_table_and_queue_clients_are_made_from_an_account_name_without_touching_the_network()
    {
        using var app = AppServices.Build("Development", new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "", ["AzureWebJobsStorage:accountName"] = "atlasprod" });

        Assert.IsType<AzureTableStore>(app.Services.GetRequiredService<ITableStore>());
        Assert.IsType<Atlas.Functions.Queues.AzureStorageQueues>(app.Services.GetRequiredService<Atlas.Functions.Queues.IQueueClient>());
    }

    [Fact]
    public async Task Service_Bus_is_reached_by_namespace_with_the_identity_the_settings_name()
    {
        await using var client = IntegrationServices.CreateClient(new ServiceBusOptions { FullyQualifiedNamespace = "atlas-prod.servicebus.windows.net", Credential = "managedidentity" });

        Assert.Equal("atlas-prod.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.IsType<ManagedIdentityCredential>(AppIdentity.For("managedidentity", null));
        Assert.IsType<DefaultAzureCredential>(AppIdentity.For(null, null));
    }
}
