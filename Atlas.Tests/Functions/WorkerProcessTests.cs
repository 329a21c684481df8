using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Atlas.FakeStripe;
using Atlas.LocalHost;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>
/// Atlas.Functions as <c>./atlas run</c> and Azure run it: the worker in a process of its own, started by the host
/// from its build output, triggers on. Killing it mid-request fails that request as problem+json, and a new worker
/// serves what follows with nothing lost from storage.
/// </summary>
public sealed class WorkerProcessTests : IAsyncLifetime
{
    private readonly StringWriter _log = new();
    private FakeStripeServer _stripe = null!;
    private FunctionsHost _host = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        var settings = TestSettings.For(Azurite.NewPrefix());
        settings["Stripe:BaseUrl"] = _stripe.BaseUrl.ToString();
        settings["Stripe:Timeout"] = "00:01:00";
        _host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = LocalApp.AppDirectory,
            HttpPort = 0,
            Settings = settings.ToDictionary(s => s.Key, s => s.Value!),
            Log = TextWriter.Synchronized(_log),
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_worker_mid_request_answers_500_problem_json_and_a_new_worker_serves_the_next_requests()
    {
        var client = new HttpClient(new ContractCheck(() => OpenApiContract.ForAsync(_host.BaseAddress, "Development"))) { BaseAddress = _host.BaseAddress };
        var phone = Accounts.NewPhone();
        var token = await SignInAsync(client, phone);
        var firstWorker = _host.WorkerProcessId!.Value;
        var restarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.WorkerRestarted += restarted.SetResult;

        // Stripe takes a minute over attaching the card: the worker is inside the function when it dies.
        _stripe.Inject(status: 0, delay: TimeSpan.FromMinutes(1));
        using var setCard = new HttpRequestMessage(HttpMethod.Put, "api/me/payment-method") { Content = JsonContent.Create(new { paymentMethodId = "pm_card_visa" }) };
        setCard.Headers.Authorization = new("Bearer", token);
        var inFlight = client.SendAsync(setCard);
        await UntilAsync(() => _stripe.Requests.Count > 0, "the worker never called Stripe");
        using (var worker = Process.GetProcessById(firstWorker))
        {
            worker.Kill();
        }

        await HttpAssert.ProblemAsync(await inFlight, HttpStatusCode.InternalServerError);
        Assert.NotEqual(firstWorker, await restarted.Task.WaitAsync(TimeSpan.FromSeconds(60)));

        // The session was in storage, not in the dead worker: it still signs in and the card goes on.
        var again = await SignInAsync(client, phone);
        using var retry = new HttpRequestMessage(HttpMethod.Put, "api/me/payment-method") { Content = JsonContent.Create(new { paymentMethodId = "pm_card_visa" }) };
        retry.Headers.Authorization = new("Bearer", again);
        await HttpAssert.JsonAsync(await client.SendAsync(retry));
    }

    /// <summary>Signs in through the dev SMS inbox, the texts going out through the host's queue trigger.</summary>
    private static async Task<string> SignInAsync(HttpClient client, string phone)
    {
        var challengeId = await Accounts.StartAsync(client, phone);
        string? code = null;
        await UntilAsync(
            async () =>
            {
                var inbox = await HttpAssert.JsonAsync(await client.GetAsync($"api/dev/sms?phone={Uri.EscapeDataString(phone)}"));
                var messages = inbox.GetProperty("messages");
                code = messages.GetArrayLength() > 0 ? SmsCodes.In(messages[0].GetProperty("body").GetString()!) : null;
                return code is not null;
            },
            "the sign-in text never arrived");
        var session = await HttpAssert.JsonAsync(await Accounts.VerifyAsync(client, challengeId, code!));
        return session.GetProperty("accessToken").GetString()!;
    }

    private static Task UntilAsync(Func<bool> condition, string failure) => UntilAsync(() => Task.FromResult(condition()), failure);

    private static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
