using System.Net;
using System.Text.RegularExpressions;
using Atlas.Functions.Functions;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Companies;

/// <summary>
/// Who may call what, written out here independently of the declarations, and checked over HTTP for every route
/// and every kind of caller: a caller not listed is refused (401 without a token, 403 with one). A route added
/// without a row here fails the test.
/// </summary>
public sealed partial class RoleMatrixTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Everyone = [Anonymous, "rider", "driver", "dispatcher", "companyAdmin", "platformAdmin"];
    private static readonly string[] SignedIn = ["rider", "driver", "dispatcher", "companyAdmin", "platformAdmin"];

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Health"] = Everyone,
        ["OpenApi"] = Everyone,
        ["ApiReference"] = Everyone,
        ["ApiReferenceScript"] = Everyone,
        ["DevSms"] = Everyone,
        ["StartSignIn"] = Everyone,
        ["ResendSignInCode"] = Everyone,
        ["VerifySignInCode"] = Everyone,
        ["RefreshSession"] = Everyone,
        ["Logout"] = Everyone,
        ["NoRoute"] = Everyone,
        ["GetMe"] = SignedIn,
        ["ExportMe"] = SignedIn,
        ["EraseMe"] = SignedIn,
        ["GetLifecycle"] = ["platformAdmin"],
        ["GetFlow"] = ["platformAdmin"],
        ["CreateCompany"] = ["platformAdmin"],
        ["GetCompany"] = ["platformAdmin", "companyAdmin", "dispatcher", "driver"],
        ["ListMembers"] = ["companyAdmin"],
        ["AddMember"] = ["companyAdmin"],
        ["GetMember"] = ["companyAdmin"],
        ["RemoveMember"] = ["companyAdmin"],
        ["ListVehicles"] = ["companyAdmin", "dispatcher"],
        ["AddVehicle"] = ["companyAdmin"],
        ["GetVehicle"] = ["companyAdmin", "dispatcher", "driver"],
        ["RemoveVehicle"] = ["companyAdmin"],
        ["ListDrivers"] = ["companyAdmin", "dispatcher"],
        ["GetDriver"] = ["companyAdmin", "dispatcher"],
        ["GetMyDriverProfile"] = ["driver"],
        ["UpdateMyDriverProfile"] = ["driver"],
        ["SetMyAvailability"] = ["driver"],
        ["ReportMyLocation"] = ["driver"],
        ["DevPush"] = Everyone,
        ["DevEmail"] = Everyone,
        ["GetMyProfile"] = SignedIn,
        ["UpdateMe"] = SignedIn,
        ["VerifyMyEmail"] = SignedIn,
        ["PutMyDevice"] = SignedIn,
        ["DeleteMyDevice"] = SignedIn,
        ["ListMyDevices"] = SignedIn,
        ["TwilioSmsStatus"] = Everyone,
        ["ListSmsMessages"] = ["platformAdmin"],
        ["GetCompanySettings"] = ["companyAdmin", "dispatcher"],
        ["UpdateCompanySettings"] = ["companyAdmin"],
        ["CreateQuote"] = ["rider", "dispatcher"],
        ["CreateBooking"] = ["rider", "dispatcher"],
        ["ListBookings"] = SignedIn,
        ["GetBooking"] = SignedIn,
        ["CancelBooking"] = ["rider", "dispatcher", "companyAdmin"],
        ["PlaceBid"] = ["driver"],
        ["WithdrawBid"] = ["driver"],
        ["GetRide"] = SignedIn,
        ["SetOff"] = ["driver"],
        ["Arrive"] = ["driver"],
        ["StartRide"] = ["driver"],
        ["CompleteRide"] = ["driver"],
        ["MarkNoShow"] = ["driver"],
        ["CancelRide"] = ["driver"],
        ["ReportRideLocation"] = ["driver"],
        ["UnlockRideStart"] = ["dispatcher", "companyAdmin"],
        ["RateRide"] = ["rider", "dispatcher", "driver"],
        ["GetMyPaymentMethod"] = ["rider", "dispatcher"],
        ["SetMyPaymentMethod"] = ["rider", "dispatcher"],
        ["SetMyPayoutAccount"] = ["driver"],
        ["GetRidePayment"] = SignedIn,
        ["TipRide"] = ["rider", "dispatcher"],
        ["RefundRide"] = ["platformAdmin"],
        ["GetPlatformFee"] = ["platformAdmin"],
        ["SetPlatformFee"] = ["platformAdmin"],
        ["RunSettlement"] = ["platformAdmin"],
        ["GetSettlement"] = ["platformAdmin"],
        ["StripeWebhook"] = Everyone,
        ["ListUnappliedStripeEvents"] = ["platformAdmin"],
        ["GetStripeEvent"] = ["platformAdmin"],
        ["Console"] = Everyone,
        ["GetCompanyBoard"] = ["companyAdmin", "dispatcher"],
        ["ListAudit"] = ["platformAdmin"],
        ["GetOverview"] = ["platformAdmin"],
        ["GetCompanyEarnings"] = ["companyAdmin", "dispatcher"],
        ["ListCompanies"] = ["platformAdmin"],
        ["ListCompanyMembersForOps"] = ["platformAdmin"],
        ["ListPoisonQueues"] = ["platformAdmin"],
        ["ReplayPoisonedMessage"] = ["platformAdmin"],
        ["DiscardPoisonedMessage"] = ["platformAdmin"],
        ["ReplayStripeEvent"] = ["platformAdmin"],
    };

    [Fact]
    public void Every_route_has_a_row_in_the_matrix()
    {
        var routes = FunctionIndex.App.Http.Select(f => f.Name).Order().ToList();

        Assert.Equal(Allowed.Keys.Order().ToList(), routes);
    }

    [Fact]
    public async Task Every_route_refuses_every_caller_it_does_not_list()
    {
        var company = await TestCompany.CreateAsync(app);
        var callers = new Dictionary<string, HttpClient>
        {
            [Anonymous] = app.CreateClient(),
            ["rider"] = (await Accounts.SignInAsync(app)).Client,
            ["driver"] = company.Driver.Client,
            ["dispatcher"] = company.Dispatcher.Client,
            ["companyAdmin"] = company.Admin.Client,
            ["platformAdmin"] = (await Accounts.PlatformAdminAsync(app)).Client,
        };
        var failures = new List<string>();

        foreach (var route in FunctionIndex.App.Http)
        {
            // Ids of the caller's own company (or of nothing), so only the role decides.
            var path = "/api/" + Placeholder().Replace(route.Route, m => m.Groups[1].Value switch
            {
                "companyId" => company.Id,
                "type" => "job",
                _ => "x_missing",
            });
            foreach (var ((who, client), method) in callers.SelectMany(c => route.Methods.Select(m => (c, m))))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = RawJson.Of("{}");
                }

                var status = (await client.SendAsync(request)).StatusCode;
                var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                var expected = !Allowed[route.Name].Contains(who)
                    ? who == Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden
                    : (HttpStatusCode?)null;
                if (expected is { } refusal ? status != refusal : refused)
                {
                    failures.Add($"{route.Name} {method} {path} as {who}: got {(int)status}, expected {(expected is null ? "not 401/403" : ((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
