using System.Net;
using System.Text;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Payments;

/// <summary>The ugly inputs of the money routes: each a 400 naming the field (or the right 404/409), nothing changed.</summary>
public sealed class PaymentInputTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Theory]
    [InlineData("{}", "paymentMethodId")]
    [InlineData("""{"paymentMethodId":""}""", "paymentMethodId")]
    [InlineData("""{"paymentMethodId":"card_123"}""", "paymentMethodId")]
    [InlineData("""{"paymentMethodId":"pm_has space"}""", "paymentMethodId")]
    [InlineData("""{"paymentMethodId":"pm_card_unknownToStripe"}""", "paymentMethodId")]
    [InlineData("""{"paymentMethodId":42}""", "paymentMethodId")]
    public async Task A_payment_method_that_is_not_a_stripe_card_is_refused(string body, string field)
    {
        var rider = await Accounts.SignInAsync(app, withCard: false);

        await HttpAssert.ValidationProblemAsync(await rider.Client.PutAsync("/api/me/payment-method", Json(body)), field);

        await HttpAssert.ProblemAsync(await rider.Client.GetAsync("/api/me/payment-method"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_huge_payment_method_id_is_refused()
    {
        var rider = await Accounts.SignInAsync(app, withCard: false);

        await HttpAssert.ValidationProblemAsync(
            await rider.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethodId = "pm_" + new string('a', 5_000) }), "paymentMethodId");
    }

    [Fact]
    public async Task Stripe_out_of_reach_is_a_503_to_try_again_and_no_card_is_saved()
    {
        var rider = await Accounts.SignInAsync(app, withCard: false);
        app.Stripe.Inject(500, count: 10, path: "/v1/customers");

        var response = await rider.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethodId = "pm_card_visa" });
        app.Stripe.ClearFaults();

        await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter is not null);
        await HttpAssert.ProblemAsync(await rider.Client.GetAsync("/api/me/payment-method"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Changing_the_card_keeps_the_customer_and_shows_the_new_card()
    {
        var rider = await Accounts.SignInAsync(app);
        var customers = StripeCalls(app, "POST", "/v1/customers");

        var changed = await HttpAssert.JsonAsync(await rider.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethodId = "pm_card_chargeDeclined" }));

        Assert.Equal("0002", changed.GetProperty("last4").GetString());
        Assert.Equal(customers, StripeCalls(app, "POST", "/v1/customers"));
        Assert.Equal("0002", (await HttpAssert.JsonAsync(await rider.Client.GetAsync("/api/me/payment-method"))).GetProperty("last4").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"amount":0}""")]
    [InlineData("""{"amount":-5}""")]
    [InlineData("""{"amount":10001}""")]
    [InlineData("""{"amount":"100"}""")]
    [InlineData("""{"amount":1.5}""")]
    public async Task A_tip_that_is_not_a_whole_positive_amount_within_the_limit_is_refused(string body)
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);

        var response = await rider.Client.PostAsync($"/api/rides/{rideId}/tip", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("amount", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await PaymentAsync(rider, rideId)).GetProperty("tip").ValueKind);
    }

    [Fact]
    public async Task A_tip_before_the_ride_completes_or_on_someone_elses_ride_is_refused()
    {
        var rider = await Accounts.SignInAsync(app);
        var stranger = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);

        await HttpAssert.ProblemAsync(await rider.Client.PostAsJsonAsync($"/api/rides/{rideId}/tip", new { amount = 100 }), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await stranger.Client.PostAsJsonAsync($"/api/rides/{rideId}/tip", new { amount = 100 }), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await stranger.Client.GetAsync($"/api/rides/{rideId}/payment"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_refund_needs_a_key_a_positive_amount_a_captured_ride_and_no_more_than_was_charged()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var admin = await Accounts.PlatformAdminAsync(app);

        await HttpAssert.ValidationProblemAsync(await admin.Client.PostAsJsonAsync($"/api/rides/{rideId}/refunds", new { amount = 100 }), "Idempotency-Key");
        await HttpAssert.ValidationProblemAsync(await RefundAsync(app, rideId, 0, "r0"), "amount");
        await HttpAssert.ProblemAsync(await RefundAsync(app, "rd_nope-1", 100, "r1"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await RefundAsync(app, rideId, 100, "r2"), HttpStatusCode.Conflict);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var captured = (await PaymentAsync(rider, rideId)).GetProperty("captured").GetInt64();
        await HttpAssert.ProblemAsync(await RefundAsync(app, rideId, captured + 1, "r3"), HttpStatusCode.Conflict);
        Assert.Equal(0, StripeCalls(app, "POST", "/v1/refunds"));
    }

    [Theory]
    [InlineData("{}", "amount")]
    [InlineData("null", "body")]
    [InlineData("""{"full":false}""", "amount")]
    [InlineData("""{"amount":null}""", "amount")]
    [InlineData("""{"amount":100,"full":true}""", "full")]
    [InlineData("""{"full":"yes"}""", "full")]
    public async Task A_refund_names_its_amount_or_says_full_and_an_empty_body_refunds_nothing(string body, string field)
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var admin = await Accounts.PlatformAdminAsync(app);
        var refunds = StripeCalls(app, "POST", "/v1/refunds");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rides/{rideId}/refunds") { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", "refund-" + Guid.NewGuid());

        await HttpAssert.ValidationProblemAsync(await admin.Client.SendAsync(request), field);

        Assert.Equal(refunds, StripeCalls(app, "POST", "/v1/refunds"));
        Assert.Equal(0, (await PaymentAsync(rider, rideId)).GetProperty("refunded").GetInt64());
    }

    [Fact]
    public async Task A_full_refund_refunds_what_is_left_when_it_says_so()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var admin = await Accounts.PlatformAdminAsync(app);
        await RefundAsync(app, rideId, 300, "part-first");
        await app.DrainAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rides/{rideId}/refunds") { Content = Json("""{"full":true}""") };
        request.Headers.Add("Idempotency-Key", "full-after-part");

        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.SendAsync(request)).StatusCode);
        await app.DrainAsync();

        var payment = await PaymentAsync(rider, rideId);
        Assert.Equal(payment.GetProperty("captured").GetInt64(), payment.GetProperty("refunded").GetInt64());
    }

    [Fact]
    public async Task Each_attempt_to_add_a_card_is_its_own_request_to_stripe_and_a_retried_attempt_the_same_one()
    {
        var rider = await Accounts.SignInAsync(app, withCard: false);

        async Task<string> AttachKeyAsync(string? idempotencyKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/me/payment-method") { Content = Json("""{"paymentMethodId":"pm_card_visa"}""") };
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            await HttpAssert.JsonAsync(await rider.Client.SendAsync(request));
            return app.Stripe.Requests.Last(r => r.Path.EndsWith("/attach", StringComparison.Ordinal)).IdempotencyKey!;
        }

        var first = await AttachKeyAsync(null);
        var second = await AttachKeyAsync(null);
        var retried = await AttachKeyAsync("card-attempt-7");
        var retriedAgain = await AttachKeyAsync("card-attempt-7");

        Assert.NotEqual(first, second);
        Assert.NotEqual(first, retried);
        Assert.Equal(retried, retriedAgain);
        await HttpAssert.ValidationProblemAsync(
            await rider.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/me/payment-method")
            {
                Content = Json("""{"paymentMethodId":"pm_card_visa"}"""),
                Headers = { { "Idempotency-Key", new string('k', 256) } },
            }),
            "Idempotency-Key");
    }

    [Theory]
    [InlineData("""{"percent":101,"fixed":0}""", "percent")]
    [InlineData("""{"percent":12.345,"fixed":0}""", "percent")]
    [InlineData("""{"percent":-1,"fixed":0}""", "percent")]
    [InlineData("""{"percent":10,"fixed":-1}""", "fixed")]
    [InlineData("""{"percent":10}""", "fixed")]
    [InlineData("""{"fixed":10}""", "percent")]
    public async Task A_platform_fee_out_of_range_or_half_given_is_refused(string body, string field)
    {
        var company = await TestCompany.CreateAsync(app);
        var admin = await Accounts.PlatformAdminAsync(app);

        await HttpAssert.ValidationProblemAsync(await admin.Client.PutAsync($"/api/companies/{company.Id}/platform-fee", Json(body)), field);

        Assert.True((await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/companies/{company.Id}/platform-fee"))).GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task A_companys_own_fee_splits_its_next_rides()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var admin = await Accounts.PlatformAdminAsync(app);
        var set = await HttpAssert.JsonAsync(await admin.Client.PutAsJsonAsync($"/api/companies/{company.Id}/platform-fee", new { percent = 20.5m, @fixed = 30 }));
        await HttpAssert.ProblemAsync(await admin.Client.PutAsJsonAsync("/api/companies/co_nope/platform-fee", new { percent = 1, @fixed = 0 }), HttpStatusCode.NotFound);

        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);

        var payment = await PaymentAsync(company.Dispatcher, rideId);
        var captured = payment.GetProperty("captured").GetInt64();
        Assert.Equal((20.5m, 30L, false), (set.GetProperty("percent").GetDecimal(), set.GetProperty("fixed").GetInt64(), set.GetProperty("isDefault").GetBoolean()));
        Assert.Equal(captured - Math.Min(captured, (long)Math.Round(captured * 0.205m, MidpointRounding.ToEven) + 30), payment.GetProperty("driverShare").GetInt64());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"accountId":"acct_"}""")]
    [InlineData("""{"accountId":"ba_123456"}""")]
    [InlineData("""{"accountId":"acct_12-34"}""")]
    public async Task A_payout_account_that_is_not_a_connected_account_id_is_refused(string body)
    {
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);

        await HttpAssert.ValidationProblemAsync(await company.Driver.Client.PutAsync("/api/drivers/me/payout-account", Json(body)), "accountId");
    }

    [Theory]
    [InlineData("""{"period":"2026-13-01"}""")]
    [InlineData("""{"period":"tomorrow"}""")]
    [InlineData("""{"period":"2027-01-01"}""")]
    public async Task A_settlement_of_a_period_that_is_not_one_or_has_not_begun_is_refused(string body)
    {
        var admin = await Accounts.PlatformAdminAsync(app);

        await HttpAssert.ValidationProblemAsync(await admin.Client.PostAsync("/api/settlements", Json(body)), "period");
        await HttpAssert.ValidationProblemAsync(await admin.Client.GetAsync("/api/settlements/2026-11-21T10:00"), "period");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
