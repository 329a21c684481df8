using System.Net;
using System.Text.Json;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Bookings;

/// <summary>Booking from a quote over HTTP: Idempotency-Key, bad bodies, scheduled bookings, lists and who sees what.</summary>
public sealed class BookingTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_booking_without_an_Idempotency_Key_is_a_400_naming_the_header()
    {
        var rider = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(rider)).GetProperty("quoteId").GetString();

        await HttpAssert.ValidationProblemAsync(await PostBookingAsync(rider, new { quoteId }, idempotencyKey: null), "Idempotency-Key");
    }

    [Fact]
    public async Task The_same_key_and_body_give_the_same_booking_and_another_body_is_a_422()
    {
        var rider = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(rider)).GetProperty("quoteId").GetString();
        var key = Guid.NewGuid().ToString();

        var first = await HttpAssert.JsonAsync(await PostBookingAsync(rider, new { quoteId, seats = 2 }, key), HttpStatusCode.Created);
        var again = await HttpAssert.JsonAsync(await PostBookingAsync(rider, new { seats = 2, quoteId }, key), HttpStatusCode.Created);
        var changed = await PostBookingAsync(rider, new { quoteId, seats = 3 }, key);

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        var problem = await HttpAssert.ProblemAsync(changed, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency-key-reused", problem.GetProperty("code").GetString());
        var list = await HttpAssert.JsonAsync(await rider.Client.GetAsync("/api/bookings"));
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_make_one_booking()
    {
        var rider = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(rider)).GetProperty("quoteId").GetString();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostBookingAsync(rider, new { quoteId }, key)));

        var ids = new HashSet<string>();
        foreach (var response in responses)
        {
            ids.Add((await HttpAssert.JsonAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        Assert.Single(ids);
        Assert.Equal(1, (await HttpAssert.JsonAsync(await rider.Client.GetAsync("/api/bookings"))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_same_key_from_two_riders_makes_two_bookings()
    {
        var one = await Accounts.SignInAsync(app);
        var two = await Accounts.SignInAsync(app);
        var key = Guid.NewGuid().ToString();

        var a = await HttpAssert.JsonAsync(await PostBookingAsync(one, new { quoteId = (await QuoteAsync(one)).GetProperty("quoteId").GetString() }, key), HttpStatusCode.Created);
        var b = await HttpAssert.JsonAsync(await PostBookingAsync(two, new { quoteId = (await QuoteAsync(two)).GetProperty("quoteId").GetString() }, key), HttpStatusCode.Created);

        Assert.NotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"quoteId":"QUOTE","seats":0}""", "seats" },
        { """{"quoteId":"QUOTE","seats":9}""", "seats" },
        { """{"quoteId":"QUOTE","seats":2,"kg":100}""", "seats" },
        { """{"quoteId":"QUOTE","kg":501}""", "kg" },
        { """{"quoteId":"QUOTE","seats":"two"}""", "seats" },
        { """{"quoteId":"QUOTE","status":"assigned"}""", "status" },
        { """{"seats":2}""", "quoteId" },
        { """{"quoteId":42}""", "quoteId" },
        { """{"quoteId":"BIG"}""", "quoteId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_booking_is_a_400_naming_the_field_and_books_nothing(string template, string field)
    {
        var rider = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(rider)).GetProperty("quoteId").GetString()!;
        // BIG first: a quote id is base64url, and one in a few hundred holds "BIG", which a later replace would break.
        var body = template.Replace("BIG", new string('q', 3000), StringComparison.Ordinal).Replace("QUOTE", quoteId, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings") { Content = RawJson.Of(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        await HttpAssert.ValidationProblemAsync(await rider.Client.SendAsync(request), field);

        Assert.Equal(0, (await HttpAssert.JsonAsync(await rider.Client.GetAsync("/api/bookings"))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_scheduled_booking_waits_and_opens_bidding_twenty_minutes_before_the_pickup()
    {
        var rider = await Accounts.SignInAsync(app);
        var pickupAt = app.Clock.GetUtcNow().AddHours(3);

        var booking = await BookAsync(app, rider, scheduledAt: pickupAt);

        Assert.Equal("scheduled", booking.GetProperty("status").GetString());
        var opensAt = pickupAt.AddMinutes(-20);
        Assert.Equal(opensAt, booking.GetProperty("bidding").GetProperty("opensAt").GetDateTimeOffset());
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var bookingId = booking.GetProperty("id").GetString()!;
        // Until it opens, drivers are not shown the booking: to them it does not exist yet.
        await HttpAssert.ProblemAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await company.Driver.Client.GetAsync($"/api/bookings/{bookingId}"), HttpStatusCode.NotFound);

        app.Clock.Advance(opensAt - app.Clock.GetUtcNow());
        var driver = await Accounts.RefreshAsync(app, company.Driver);
        await ReadyAsync(driver, company.VehicleId);
        await app.DrainAsync();

        var opened = await GetBookingAsync(await Accounts.RefreshAsync(app, rider), bookingId);
        Assert.Equal("bidding", opened.GetProperty("status").GetString());
        Assert.Contains("booking.open", TopicsSentTo(app, driver.UserId));
        Assert.Equal(HttpStatusCode.OK, (await BidAsync(driver, bookingId, QuoteTotal(booking))).StatusCode);
    }

    [Fact]
    public async Task Riders_list_their_own_bookings_newest_first_a_page_at_a_time()
    {
        var rider = await Accounts.SignInAsync(app);
        var other = await Accounts.SignInAsync(app);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await BookAsync(app, rider)).GetProperty("id").GetString()!);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await BookAsync(app, other);

        var first = await HttpAssert.JsonAsync(await rider.Client.GetAsync("/api/bookings?limit=2"));
        var next = first.GetProperty("next").GetString();
        var second = await HttpAssert.JsonAsync(await rider.Client.GetAsync($"/api/bookings?limit=2&after={next}"));

        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(b => b.GetProperty("id").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(ids), listed);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        await HttpAssert.ValidationProblemAsync(await rider.Client.GetAsync("/api/bookings?after=not%20a%20cursor"), "after");
        await HttpAssert.ValidationProblemAsync(await rider.Client.GetAsync("/api/bookings?limit=0"), "limit");
    }

    [Fact]
    public async Task Another_riders_booking_is_404_and_a_driver_sees_only_their_own_bid()
    {
        var rider = await Accounts.SignInAsync(app);
        var stranger = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var rival = await AddReadyDriverAsync(app, company);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking) - 1));
        await HttpAssert.JsonAsync(await BidAsync(rival, bookingId, QuoteTotal(booking) + 1));

        await HttpAssert.ProblemAsync(await stranger.Client.GetAsync($"/api/bookings/{bookingId}"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await stranger.Client.GetAsync("/api/bookings/bk_nothing"), HttpStatusCode.NotFound);

        var driverView = (await GetBookingAsync(company.Driver, bookingId)).GetProperty("bidding");
        Assert.Equal(QuoteTotal(booking) - 1, driverView.GetProperty("myBid").GetInt64());
        Assert.Equal(JsonValueKind.Null, driverView.GetProperty("bidCount").ValueKind);
        var riderView = (await GetBookingAsync(rider, bookingId)).GetProperty("bidding");
        Assert.Equal(2, riderView.GetProperty("bidCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, riderView.GetProperty("myBid").ValueKind);
        Assert.DoesNotContain((QuoteTotal(booking) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await (await rider.Client.GetAsync($"/api/bookings/{bookingId}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dispatcher_books_for_the_company_with_its_bid_window_and_staff_list_the_companys_bookings()
    {
        var company = await TestCompany.CreateAsync(app);
        var settings = await HttpAssert.JsonAsync(await company.Admin.Client.PutAsJsonAsync($"/api/companies/{company.Id}/settings", new { bidWindowSeconds = 30 }));
        Assert.Equal(30, settings.GetProperty("bidWindowSeconds").GetInt32());

        var booking = await BookAsync(app, company.Dispatcher);

        var bookedAt = booking.GetProperty("bookedAt").GetDateTimeOffset();
        Assert.Equal(bookedAt.AddSeconds(30), booking.GetProperty("bidding").GetProperty("closesAt").GetDateTimeOffset());
        var list = await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync("/api/bookings"));
        Assert.Equal(booking.GetProperty("id").GetString(), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync($"/api/bookings/{booking.GetProperty("id").GetString()}"));
    }

    [Theory]
    [InlineData("""{"bidWindowSeconds":9}""")]
    [InlineData("""{"bidWindowSeconds":601}""")]
    [InlineData("""{"bidWindowSeconds":"long"}""")]
    public async Task A_bid_window_outside_ten_seconds_to_ten_minutes_is_refused(string body)
    {
        var company = await TestCompany.CreateAsync(app);

        await HttpAssert.ValidationProblemAsync(await company.Admin.Client.PutAsync($"/api/companies/{company.Id}/settings", RawJson.Of(body)), "bidWindowSeconds");

        var settings = await HttpAssert.JsonAsync(await company.Dispatcher.Client.GetAsync($"/api/companies/{company.Id}/settings"));
        Assert.Equal(60, settings.GetProperty("bidWindowSeconds").GetInt32());
        Assert.True(settings.GetProperty("isDefault").GetBoolean());
    }
}
