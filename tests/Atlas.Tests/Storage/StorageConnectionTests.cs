using Atlas.Functions.Storage;

namespace Atlas.Tests.Storage;

public sealed class StorageConnectionTests
{
    [Fact]
    public void Development_storage_means_Azurites_account_on_its_default_queue_port()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
    }

    [Fact]
    public void An_explicit_queue_endpoint_is_used_as_given()
    {
        var connection = StorageConnection.Parse("DefaultEndpointsProtocol=http;AccountName=a;AccountKey=AAAA;QueueEndpoint=http://127.0.0.1:5/a/;");

        Assert.Equal(new Uri("http://127.0.0.1:5/a"), connection.QueueEndpoint);
        Assert.Equal([0, 0, 0], connection.AccountKey);
    }

    [Fact]
    public void An_azure_account_gets_its_queue_endpoint_from_the_name_and_suffix()
    {
        var connection = StorageConnection.Parse("DefaultEndpointsProtocol=https;AccountName=atlasprod;AccountKey=AAAA;EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://atlasprod.queue.core.windows.net"), connection.QueueEndpoint);
    }

    [Fact]
    public void A_string_without_a_key_is_refused_with_what_is_missing()
    {
        var error = Assert.Throws<FormatException>(() => StorageConnection.Parse("AccountName=a"));

        Assert.Contains("AccountKey", error.Message, StringComparison.Ordinal);
    }
}
