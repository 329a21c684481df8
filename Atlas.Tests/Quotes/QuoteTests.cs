using System.Buffers.Text;
using System.Net;
using System.Text;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Quotes;

/// <summary>POST /api/quotes over HTTP: the fare, its validity, and what cannot be done with a quote.</summary>
public sealed class QuoteTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_quote_has_a_fare_in_minor_units_and_lasts_ten_minutes()
    {
        var rider = await Accounts.SignInAsync(app);

        var quote = await QuoteAsync(rider);

        var fare = quote.GetProperty("fare");
        Assert.Equal("GBP", fare.GetProperty("currency").GetString());
        var lines = new[] { "base", "distance", "time", "vehicleAdjustment", "surge", "bookingFee" }.Sum(l => fare.GetProperty(l).GetInt64());
        Assert.Equal(lines, fare.GetProperty("total").GetInt64());
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(10), quote.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("car", quote.GetProperty("vehicleType").GetString());
    }

    public static TheoryData<string, string> BadQuotes => new()
    {
        { """{"pickup":{"lat":91,"lng":0},"dropoff":{"lat":51.5,"lng":-0.12},"vehicleType":"car"}""", "pickup.lat" },
        { """{"pickup":{"lat":51.5,"lng":-181},"dropoff":{"lat":51.5,"lng":-0.12},"vehicleType":"car"}""", "pickup.lng" },
        { """{"dropoff":{"lat":51.5,"lng":-0.12},"vehicleType":"car"}""", "pickup" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.5,"lng":-0.12},"vehicleType":"car"}""", "dropoff" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":-33.9,"lng":151.2},"vehicleType":"car"}""", "dropoff" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13},"vehicleType":"rocket"}""", "vehicleType" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13},"vehicleType":1}""", "vehicleType" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13}}""", "vehicleType" },
        { """{"pickup":{"lat":"north","lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13},"vehicleType":"car"}""", "pickup.lat" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13},"vehicleType":"car","scheduledAt":"2020-01-01T00:00:00Z"}""", "scheduledAt" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13},"vehicleType":"car","scheduledAt":"2027-06-01T00:00:00Z"}""", "scheduledAt" },
        { """{"pickup":{"lat":51.5,"lng":-0.12},"dropoff":{"lat":51.52,"lng":-0.13},"vehicleType":"car","fare":1}""", "fare" },
    };

    [Theory]
    [MemberData(nameof(BadQuotes))]
    public async Task A_bad_quote_request_is_a_400_naming_the_field(string body, string field)
    {
        var rider = await Accounts.SignInAsync(app);

        await HttpAssert.ValidationProblemAsync(await rider.Client.PostAsync("/api/quotes", RawJson.Of(body)), field);
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        var rider = await Accounts.SignInAsync(app);

        await HttpAssert.ProblemAsync(await rider.Client.PostAsync("/api/quotes", RawJson.Of("")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_tampered_quote_cannot_be_booked()
    {
        var rider = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(rider)).GetProperty("quoteId").GetString()!;
        var parts = quoteId.Split('.');
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var cheaper = json.Replace("\"bookingFee\":100", "\"bookingFee\":1", StringComparison.Ordinal);
        Assert.NotEqual(json, cheaper);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cheaper))}.{parts[2]}";

        var response = await PostBookingAsync(rider, new { quoteId = tampered }, Guid.NewGuid().ToString());

        await HttpAssert.ValidationProblemAsync(response, "quoteId");
    }

    [Fact]
    public async Task Another_users_quote_cannot_be_booked()
    {
        var rider = await Accounts.SignInAsync(app);
        var other = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(other)).GetProperty("quoteId").GetString();

        await HttpAssert.ValidationProblemAsync(await PostBookingAsync(rider, new { quoteId }, Guid.NewGuid().ToString()), "quoteId");
    }

    [Fact]
    public async Task An_expired_quote_is_refused_with_the_reason()
    {
        var rider = await Accounts.SignInAsync(app);
        var quoteId = (await QuoteAsync(rider)).GetProperty("quoteId").GetString();
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        var problem = await HttpAssert.ProblemAsync(await PostBookingAsync(rider, new { quoteId }, Guid.NewGuid().ToString()), HttpStatusCode.Conflict);

        Assert.Equal("quote-expired", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Drivers_do_not_ask_for_quotes()
    {
        var company = await TestCompany.CreateAsync(app);

        var response = await company.Driver.Client.PostAsJsonAsync("/api/quotes", new { pickup = Pickup, dropoff = Dropoff, vehicleType = "car" });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
