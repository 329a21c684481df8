using System.Globalization;
using System.Text.Json;

namespace Atlas.Demo;

/// <summary>
/// The marketplace end to end, one line a step: the platform admin makes a company, its admin adds two drivers with
/// cars, a rider books, the drivers bid blind, the lowest bid wins when the window closes, the ride runs to the card
/// being charged, and settlement pays the driver.
/// </summary>
/// <param name="sessions">Where the platform admin's session is kept between runs; none, and each run signs it in.</param>
public sealed class Walkthrough(AtlasApi api, TextWriter output, string platformAdminPhone, TimeProvider clock, SessionFile? sessions = null)
{
    private static readonly object Pickup = new { lat = 51.5007, lng = -0.1246 };   // Westminster
    private static readonly object Dropoff = new { lat = 51.5194, lng = -0.1270 };  // Bloomsbury
    private static readonly object NearPickup = new { lat = 51.5010, lng = -0.1250 };

    private int _step;

    public async Task<Cast> RunAsync()
    {
        var health = await api.GetAsync("health");
        Step($"Atlas at {api.BaseAddress} is {health.GetProperty("status").GetString()}");

        var (admin, how) = await SignInPlatformAdminAsync();
        Step($"platform admin {admin.Phone} signed in {how}".TrimEnd(), admin.UserId);

        var companyAdminPhone = Person.NewPhone();
        var company = await api.PostAsync("companies", new { name = $"Demo Cabs {Random.Shared.Next(1000, 10000)}", adminPhone = companyAdminPhone }, admin.AccessToken, NewKey());
        var companyId = company.GetProperty("id").GetString()!;
        var companyAdmin = await Person.SignInAsync(api, companyAdminPhone);
        Step($"company \"{company.GetProperty("name").GetString()}\" made; its admin {companyAdmin.Phone} signed in", companyId);

        Driver[] drivers = [await AddDriverAsync(companyId, companyAdmin, "Dee Rivers"), await AddDriverAsync(companyId, companyAdmin, "Sam Wheeler")];
        Step($"drivers {drivers[0].Name} and {drivers[1].Name} added, signed in, each with a car, available beside the pickup", $"{drivers[0].MemberId}, {drivers[1].MemberId}");

        var rider = await Person.SignInAsync(api, Person.NewPhone());
        var card = await api.PutAsync("me/payment-method", new { paymentMethodId = "pm_card_visa" }, rider.AccessToken);
        Step($"rider {rider.Phone} signed in with a {card.GetProperty("brand").GetString()} card ending {card.GetProperty("last4").GetString()}", rider.UserId);

        var quote = await api.PostAsync("quotes", new { pickup = Pickup, dropoff = Dropoff, vehicleType = "car" }, rider.AccessToken);
        var fare = quote.GetProperty("fare");
        var currency = fare.GetProperty("currency").GetString()!;
        var total = fare.GetProperty("total").GetInt64();
        var booking = await api.PostAsync("bookings", new { quoteId = quote.GetProperty("quoteId").GetString() }, rider.AccessToken, NewKey());
        var bookingId = booking.GetProperty("id").GetString()!;
        var closesAt = DateTimeOffset.Parse(booking.GetProperty("bidding").GetProperty("closesAt").GetString()!, CultureInfo.InvariantCulture);
        Step($"quoted {Money(total, currency)} from Westminster to Bloomsbury and booked; bidding is open", bookingId);

        var bids = new[] { total * 11 / 10, total * 9 / 10 };
        for (var i = 0; i < drivers.Length; i++)
        {
            await api.PostAsync($"bookings/{bookingId}/bids", new { amount = bids[i] }, drivers[i].Person.AccessToken);
        }

        Step($"{drivers[0].Name} bids {Money(bids[0], currency)}, {drivers[1].Name} {Money(bids[1], currency)}; neither sees the other's");

        await CountdownAsync(closesAt);
        var assigned = await api.PollAsync($"bookings/{bookingId}", rider.AccessToken, b => b.GetProperty("status").GetString() is not ("bidding" or "awarding"), "the bidding to close and the winner to take the ride");
        if (assigned.GetProperty("status").GetString() != "assigned")
        {
            throw new DemoFailure($"The booking ended {assigned.GetProperty("status").GetString()} instead of assigned: {assigned}");
        }

        var assignment = assigned.GetProperty("assignment");
        var rideId = assignment.GetProperty("rideId").GetString()!;
        var winner = drivers.Single(d => d.MemberId == assignment.GetProperty("driverId").GetString());
        Step($"bidding closed: {winner.Name}'s {Money(assignment.GetProperty("price").GetInt64(), currency)} won; the ride is theirs", rideId);

        await RideAsync(rideId, rider, winner);
        var payment = await api.PollAsync($"rides/{rideId}/payment", rider.AccessToken, p => p.GetProperty("status").GetString() == "captured", "the card to be charged");
        Step($"ride set off, arrived, started with the rider's code, completed and rated 5; the card was charged {Money(payment.GetProperty("captured").GetInt64(), currency)}");

        await SettleAsync(admin, winner, currency);
        return new Cast(api.BaseAddress, admin, companyId, companyAdmin, rider, winner.Person, winner.VehicleId, bookingId, rideId);
    }

    /// <summary>The platform admin is one phone that every run signs in: its session is kept when there is a file for it.</summary>
    private async Task<(Person Admin, string How)> SignInPlatformAdminAsync()
    {
        (Person Admin, string How) signedIn;
        try
        {
            signedIn = sessions is null ? (await Person.SignInAsync(api, platformAdminPhone), "") : await sessions.SignInAsync(api, platformAdminPhone);
        }
        catch (DemoFailure e) when (e.Status == 429)
        {
            throw new DemoFailure($"{e.Message} Or pass --admin-phone with another of the app's Auth__PlatformAdmins.", 429);
        }

        if (signedIn.Admin.Role != "platformAdmin")
        {
            throw new DemoFailure($"{platformAdminPhone} signed in as {signedIn.Admin.Role}, not platformAdmin: pass --admin-phone with one of the app's Auth__PlatformAdmins.");
        }

        return signedIn;
    }

    private async Task<Driver> AddDriverAsync(string companyId, Person companyAdmin, string name)
    {
        var phone = Person.NewPhone();
        var member = await api.PostAsync($"companies/{companyId}/members", new { phone, role = "driver" }, companyAdmin.AccessToken, NewKey());
        var plate = $"DM{Random.Shared.Next(0, 100_000):D5}";
        var vehicle = await api.PostAsync($"companies/{companyId}/vehicles", new { type = "car", capacity = new { seats = 4 }, plate }, companyAdmin.AccessToken, NewKey());
        var vehicleId = vehicle.GetProperty("id").GetString()!;

        var driver = await Person.SignInAsync(api, phone);
        await api.PutAsync("drivers/me", new { name, licenceNumber = $"DL{Random.Shared.Next(100_000, 1_000_000)}", vehicleId }, driver.AccessToken);
        await api.PutAsync("drivers/me/availability", new { available = true }, driver.AccessToken);
        await api.PostAsync("drivers/me/location", NearPickup, driver.AccessToken);
        await api.PutAsync("drivers/me/payout-account", new { accountId = $"acct_1Demo{Random.Shared.Next(0, 1_000_000):D6}" }, driver.AccessToken);
        return new Driver(name, member.GetProperty("id").GetString()!, vehicleId, driver);
    }

    /// <summary>Waits out the bid window, showing the seconds left (on one line when the output is a terminal).</summary>
    private async Task CountdownAsync(DateTimeOffset closesAt)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var shown = 0;
        for (var left = SecondsUntil(closesAt); left > 0; left = SecondsUntil(closesAt))
        {
            if (terminal)
            {
                output.Write($"\r    bidding closes in {left,3} s ");
            }
            else if (shown == 0 || (left != shown && left % 10 == 0))
            {
                output.WriteLine($"    bidding closes in {left} s");
                shown = left;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100)); // how often the line is redrawn; the clock says when to stop
        }

        if (terminal)
        {
            output.Write("\r" + new string(' ', 32) + "\r");
        }
    }

    private async Task RideAsync(string rideId, Person rider, Driver winner)
    {
        var driver = winner.Person.AccessToken;
        await api.PostAsync($"rides/{rideId}/set-off", token: driver);
        await api.PostAsync($"rides/{rideId}/arrive", token: driver);
        var code = (await api.GetAsync($"rides/{rideId}", rider.AccessToken)).GetProperty("startCode").GetString();
        await api.PostAsync($"rides/{rideId}/start", new { code }, driver);
        await api.PostAsync($"rides/{rideId}/complete", token: driver);
        await api.PostAsync($"rides/{rideId}/rating", new { stars = 5 }, rider.AccessToken);
    }

    private async Task SettleAsync(Person admin, Driver winner, string currency)
    {
        // The capture reaches the driver's ledger a moment after the card is charged (an effect of its own), and a
        // settlement run pays nobody twice: run it until the driver's line is there.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonElement settlement, line;
        while (true)
        {
            settlement = await api.PostAsync("settlements", new { }, admin.AccessToken);
            line = settlement.GetProperty("lines").EnumerateArray().FirstOrDefault(l => l.GetProperty("driverId").GetString() == winner.MemberId);
            if (line.ValueKind == JsonValueKind.Object)
            {
                break;
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new DemoFailure($"Settlement has no line for {winner.Name} ({winner.MemberId}) after a minute: {settlement}");
            }

            await Task.Delay(500);
        }

        var period = settlement.GetProperty("period").GetString()!;

        var reconciled = await api.GetAsync($"settlements/{period}?reconcile=true", admin.AccessToken);
        var mismatches = reconciled.GetProperty("reconciliation").GetProperty("mismatches").GetArrayLength();
        Step(
            $"settlement of {period}: {winner.Name} {line.GetProperty("status").GetString()} {Money(line.GetProperty("amount").GetInt64(), currency)} (the fare less the company's fee); "
            + $"ledger and Stripe {(mismatches == 0 ? "agree" : $"disagree on {mismatches} transfers")}",
            line.TryGetProperty("transferId", out var transfer) ? transfer.GetString() : null);
    }

    private void Step(string what, string? ids = null) =>
        output.WriteLine($"{++_step,3}. {what}{(ids is null ? "" : $"  [{ids}]")}");

    private int SecondsUntil(DateTimeOffset when) => (int)Math.Ceiling((when - clock.GetUtcNow()).TotalSeconds);

    private static string Money(long minor, string currency) =>
        $"{currency} {(minor / 100m).ToString("0.00", CultureInfo.InvariantCulture)}";

    private static string NewKey() => Guid.NewGuid().ToString("n");

    private sealed record Driver(string Name, string MemberId, string VehicleId, Person Person);
}
