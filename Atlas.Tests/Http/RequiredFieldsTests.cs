using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>A body that is empty, leaves out a field its record marks required, sets one to null or gives a field the
/// wrong type is a 400 naming the field on every route that takes a body, and the function does not run. (Issue 20:
/// a device without its platform was a 500, the function reading a value nothing had checked.)</summary>
public sealed partial class RequiredFieldsTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Theory]
    [InlineData("""{"token":"abc"}""", "platform")]
    [InlineData("""{"platform":null,"token":"abc"}""", "platform")]
    [InlineData("""{"platform":7,"token":"abc"}""", "platform")]
    [InlineData("""{"platform":"android"}""", "token")]
    [InlineData("""{"platform":"android","token":null}""", "token")]
    [InlineData("""{"platform":"android","token":12}""", "token")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    public async Task A_device_without_its_platform_or_token_is_a_400_naming_it_and_nothing_is_registered(string body, string field)
    {
        var rider = await Accounts.SignInAsync(app);

        var response = await rider.Client.PutAsync("/api/me/devices/phone-1", RawJson.Of(body));

        await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Empty((await HttpAssert.JsonAsync(await rider.Client.GetAsync("/api/me/devices"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_body_missing_several_required_fields_names_each_of_them()
    {
        var rider = await Accounts.SignInAsync(app);

        var response = await rider.Client.PostAsync("/api/quotes", RawJson.Of("""{"pickup":null}"""));

        var errors = (await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["dropoff", "pickup", "vehicleType"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_route_that_takes_a_body_answers_an_empty_body_a_missing_or_null_field_and_a_wrong_type_with_a_400_naming_it()
    {
        var company = await TestCompany.CreateAsync(app);
        var callers = new Dictionary<Role, HttpClient>
        {
            [Role.Rider] = (await Accounts.SignInAsync(app)).Client,
            [Role.Driver] = company.Driver.Client,
            [Role.Dispatcher] = company.Dispatcher.Client,
            [Role.CompanyAdmin] = company.Admin.Client,
            [Role.PlatformAdmin] = (await Accounts.PlatformAdminAsync(app)).Client,
        };
        var failures = new List<string>();
        var routes = 0;

        foreach (var route in FunctionIndex.App.Http)
        {
            if (route.Method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<BodyAttribute>() is not null) is not { } body)
            {
                continue;
            }

            routes++;
            var access = route.Access!;
            var client = access.IsAnonymous ? app.CreateClient() : callers[access.Roles.Order().First()];
            var path = "/api/" + Placeholder().Replace(route.Route, m => m.Groups[1].Value == "companyId" ? company.Id : "x_missing");
            var fields = AtlasJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(body.ParameterType) ?? body.ParameterType).Properties;
            var required = fields.Where(f => f.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true).Select(f => f.Name).ToList();

            var cases = new List<(string Body, string[] Named)> { ("", ["body"]), ("{}", [.. required]) };
            cases.AddRange(required.Select(f => (JsonSerializer.Serialize(new Dictionary<string, object?> { [f] = null }), new[] { f })));
            cases.AddRange(fields.Select(f => ($"{{\"{f.Name}\":[]}}", new[] { f.Name })));
            foreach (var method in route.Methods)
            {
                foreach (var (json, named) in cases.Where(c => c.Named.Length > 0))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = RawJson.Of(json) };
                    var response = await client.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    var errors = response.StatusCode == HttpStatusCode.BadRequest && JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var e) ? e : default;
                    if (errors.ValueKind != JsonValueKind.Object || named.Any(f => !errors.TryGetProperty(f, out _)))
                    {
                        failures.Add($"{route.Name} {method} {path} with {(json.Length == 0 ? "an empty body" : json)}: expected a 400 naming {string.Join(", ", named)}, got {(int)response.StatusCode} {text}");
                    }
                }
            }
        }

        Assert.True(routes > 20, $"Only {routes} routes take a body: the index did not find them.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
