using System.Net;
using System.Net.Sockets;
using Atlas.Functions.Hosting;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_200_when_tables_and_queues_answer()
    {
        await using var app = new AtlasAppFactory();

        var json = await HttpAssert.JsonAsync(await app.CreateClient().GetAsync("/api/health"));

        Assert.Equal("healthy", json.GetProperty("status").GetString());
        Assert.Equal("ok", json.GetProperty("checks").GetProperty("tables").GetString());
        Assert.Equal("ok", json.GetProperty("checks").GetProperty("queues").GetString());
    }

    [Fact]
    public async Task Health_is_a_503_problem_naming_what_is_unreachable_when_storage_is_down()
    {
        var dead = FreePort();
        var nowhere = $"DefaultEndpointsProtocol=http;AccountName={Azurite.DevelopmentAccount};AccountKey={Azurite.DevelopmentKey};"
            + $"QueueEndpoint=http://127.0.0.1:{dead}/{Azurite.DevelopmentAccount};TableEndpoint=http://127.0.0.1:{dead}/{Azurite.DevelopmentAccount};";
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { [AtlasServices.StorageSetting] = nowhere });

        var problem = await HttpAssert.ProblemAsync(await app.CreateClient().GetAsync("/api/health"), HttpStatusCode.ServiceUnavailable);

        Assert.NotEqual("ok", problem.GetProperty("checks").GetProperty("tables").GetString());
        Assert.NotEqual("ok", problem.GetProperty("checks").GetProperty("queues").GetString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
