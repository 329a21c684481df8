using System.Net;
using System.Text.Json;
using Atlas.Core.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>The one place command outcomes become HTTP: success as given, refusals and lost races as 409 problems.</summary>
public sealed class ProblemsTests : IClassFixture<AtlasAppFactory>
{
    private readonly IServiceProvider _services;

    public ProblemsTests(AtlasAppFactory app) => _services = app.Services;

    private async Task<(int Status, JsonElement Body)> RenderAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body));
    }

    [Fact]
    public async Task A_command_that_lost_every_race_is_a_409_concurrency_problem()
    {
        var (status, body) = await RenderAsync(Problems.For(new CommandResult<string>(CommandStatus.Contended, "s", 3), _ => Results.Ok()));

        Assert.Equal((int)HttpStatusCode.Conflict, status);
        Assert.Equal("concurrency", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_refused_command_is_a_409_with_its_code_and_reason()
    {
        var result = new CommandResult<string>(CommandStatus.Rejected, "s", 3, new Rejection("bid-window-closed", "The bid window closed at 12:00."));

        var (status, body) = await RenderAsync(Problems.For(result, _ => Results.Ok()));

        Assert.Equal((int)HttpStatusCode.Conflict, status);
        Assert.Equal("bid-window-closed", body.GetProperty("code").GetString());
        Assert.Equal("The bid window closed at 12:00.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Applied_and_unchanged_commands_get_the_success_response()
    {
        foreach (var status in new[] { CommandStatus.Applied, CommandStatus.Unchanged })
        {
            var (code, body) = await RenderAsync(Problems.For(new CommandResult<string>(status, "s", 3), r => Results.Ok(new { r.Version })));

            Assert.Equal(200, code);
            Assert.Equal(3, body.GetProperty("version").GetInt64());
        }
    }
}
