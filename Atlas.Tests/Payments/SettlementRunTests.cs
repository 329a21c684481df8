using System.Net;
using Atlas.Functions.Settlement;
using Atlas.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Payments;

/// <summary>Settlement as a Durable orchestration on the local host's engine: started by its timer or by an admin,
/// joined when it is already running, answered later when it runs long.</summary>
public sealed class SettlementRunTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_admins_settling_the_same_period_at_once_share_one_run_and_pay_the_driver_once()
    {
        await using var app = new AtlasAppFactory();
        var (company, rideId) = await CompletedRideAsync(app, "acct_twice");
        var admin = await Accounts.PlatformAdminAsync(app);

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.Client.PostAsJsonAsync("/api/settlements", new { })));

        var driverShare = (await PaymentAsync(admin, rideId)).GetProperty("driverShare").GetInt64();
        foreach (var run in runs)
        {
            var line = LineOf(await HttpAssert.JsonAsync(run), company.Driver.MemberId!);
            Assert.Equal("paid", line.GetProperty("status").GetString());
            Assert.Equal(driverShare, line.GetProperty("amount").GetInt64());
        }

        Assert.Single(app.Stripe.Requests, r => r is { Method: "POST", Path: "/v1/transfers" });
    }

    [Fact]
    public async Task The_settlement_timer_settles_the_period_that_ended()
    {
        await using var app = new AtlasAppFactory();
        var (company, _) = await CompletedRideAsync(app, "acct_timer");
        var period = app.Services.GetRequiredService<SettlementRun>().Current;
        app.Clock.Advance(TimeSpan.FromDays(1));

        await app.App.Host.FireTimerAsync("Settlement");

        await using var durable = app.App.Host.CreateDurableClient();
        var run = await WaitAsync(durable, SettlementFlow.InstanceId(period.Id));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new SettlementFlow.SettlementProgress(1, 0, Mismatches: 0), run.ReadOutputAs<SettlementFlow.SettlementProgress>());
        var admin = await Accounts.PlatformAdminAsync(app);
        var report = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/settlements/{period.Id}"));
        Assert.Equal("paid", LineOf(report, company.Driver.MemberId!).GetProperty("status").GetString());

        // The ops view shows the run to platform admins (RoleMatrixTests: only to them).
        var flow = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/flows/settle-{period.Id}"));
        Assert.Equal(SettlementFlow.Name, flow.GetProperty("name").GetString());
        Assert.Equal("Completed", flow.GetProperty("runtimeStatus").GetString());
        Assert.Equal(1, flow.GetProperty("output").GetProperty("Drivers").GetInt32());
        Assert.Equal(period.Id, flow.GetProperty("input").GetProperty("PeriodId").GetString());
        await HttpAssert.ProblemAsync(await admin.Client.GetAsync("/api/ops/flows/settle-1999-01-01"), HttpStatusCode.NotFound);
        await HttpAssert.ValidationProblemAsync(await admin.Client.GetAsync($"/api/ops/flows/{new string('x', 300)}"), "instanceId");
    }

    [Fact]
    public async Task A_run_that_outlasts_the_wait_is_answered_202_with_where_its_report_will_be()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Settlement:WaitFor"] = "00:00:00" });
        var (company, _) = await CompletedRideAsync(app, "acct_later");
        var admin = await Accounts.PlatformAdminAsync(app);
        var period = app.Services.GetRequiredService<SettlementRun>().Current;

        using var response = await admin.Client.PostAsJsonAsync("/api/settlements", new { });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/settlements/{period.Id}", response.Headers.Location?.ToString());
        await using var durable = app.App.Host.CreateDurableClient();
        await WaitAsync(durable, SettlementFlow.InstanceId(period.Id));
        var report = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/settlements/{period.Id}"));
        Assert.Equal("paid", LineOf(report, company.Driver.MemberId!).GetProperty("status").GetString());
    }

    private static async Task<(TestCompany Company, string RideId)> CompletedRideAsync(AtlasAppFactory app, string account)
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        await PayoutAccountAsync(company.Driver, account);
        return (company, rideId);
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient durable, string instanceId)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            if (await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, deadline.Token) is { IsCompleted: true } done)
            {
                return done;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
