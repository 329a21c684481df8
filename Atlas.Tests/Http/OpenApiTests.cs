using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Ops;
using Atlas.Tests.Infrastructure;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using OpenApiDocument = Atlas.Functions.Ops.OpenApiDocument;

namespace Atlas.Tests.Http;

/// <summary>The OpenAPI document is made from the functions' own declarations: every HTTP function, its body as the
/// type it binds, what it answers, and who may call it.</summary>
public sealed class OpenApiTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private async Task<JsonElement> DocumentAsync() => await HttpAssert.JsonAsync(await app.CreateClient().GetAsync("/api/openapi.json"));

    [Fact]
    public async Task The_document_lists_every_http_function_under_api()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        foreach (var function in FunctionIndex.App.Http.Where(f => !f.Route.Contains('*', StringComparison.Ordinal)))
        {
            var path = "/api/" + function.Route;
            Assert.True(
                paths.TryGetProperty(path, out var operations) && function.Methods.All(m => operations.TryGetProperty(m.ToLowerInvariant(), out _)),
                $"{string.Join(",", function.Methods)} {path} ({function.Name}) is missing from the OpenAPI document");
        }
    }

    [Fact]
    public async Task Each_body_is_the_schema_of_the_type_the_function_binds_with_only_its_required_fields_required()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        foreach (var function in FunctionIndex.App.Http)
        {
            var body = function.Method.GetParameters().FirstOrDefault(p => p.GetCustomAttribute<BodyAttribute>() is not null);
            if (body is null)
            {
                continue;
            }

            var operation = document.GetProperty("paths").GetProperty("/api/" + function.Route).GetProperty(function.Methods.Single().ToLowerInvariant());
            var reference = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
            Assert.Equal($"#/components/schemas/{OpenApiDocument.SchemaId(body.ParameterType)}", reference);

            var schema = schemas.GetProperty(OpenApiDocument.SchemaId(body.ParameterType));
            var properties = body.ParameterType.GetProperties().Where(p => p.Name != "EqualityContract").ToList();
            Assert.Equal(
                properties.Select(p => Web.PropertyNamingPolicy!.ConvertName(p.Name)).Order(StringComparer.Ordinal),
                schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
            Assert.Equal(
                properties.Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null).Select(p => Web.PropertyNamingPolicy!.ConvertName(p.Name)).Order(StringComparer.Ordinal),
                required.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Records_that_share_a_name_keep_their_own_schemas_and_optional_fields_are_optional()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        string BodyOf(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.Equal("#/components/schemas/VehicleFunctions.AddRequest", BodyOf("/api/companies/{companyId}/vehicles", "post"));
        Assert.Equal("#/components/schemas/MemberFunctions.AddRequest", BodyOf("/api/companies/{companyId}/members", "post"));
        Assert.Equal("#/components/schemas/RideFunctions.StartRequest", BodyOf("/api/rides/{rideId}/start", "post"));
        Assert.Equal("#/components/schemas/SignInFunctions.StartRequest", BodyOf("/api/auth/otp", "post"));
        Assert.Equal(["pickup", "dropoff", "vehicleType"], schemas.GetProperty("QuoteFunctions.QuoteRequest").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["quoteId"], schemas.GetProperty("BookingFunctions.BookingRequest").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["stars"], schemas.GetProperty("RideFunctions.RatingRequest").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Each_operation_documents_the_status_it_answers_on_success()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        foreach (var function in FunctionIndex.App.Http.Where(f => !f.Route.Contains('*', StringComparison.Ordinal)))
        {
            var declared = function.Method.GetCustomAttributes<RespondsAttribute>().Select(r => r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(declared.Count > 0, $"{function.Name} declares no success response");
            var responses = paths.GetProperty("/api/" + function.Route).GetProperty(function.Methods[0].ToLowerInvariant()).GetProperty("responses");
            Assert.All(declared, code => Assert.True(responses.TryGetProperty(code, out _), $"{function.Name}: {code} is not documented"));
        }

        Assert.True(paths.GetProperty("/api/bookings").GetProperty("post").GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(paths.GetProperty("/api/auth/otp").GetProperty("post").GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(paths.GetProperty("/api/auth/logout").GetProperty("post").GetProperty("responses").TryGetProperty("204", out _));
        Assert.False(paths.GetProperty("/api/auth/logout").GetProperty("post").GetProperty("responses").TryGetProperty("200", out _));
    }

    [Fact]
    public async Task Operations_that_need_a_token_say_so_and_name_the_roles()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        var addMember = paths.GetProperty("/api/companies/{companyId}/members").GetProperty("post");
        Assert.True(addMember.GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.Equal("Allowed: companyAdmin.", addMember.GetProperty("description").GetString());
        Assert.False(paths.GetProperty("/api/auth/otp").GetProperty("post").TryGetProperty("security", out _));
        Assert.Contains(paths.GetProperty("/api/bookings").GetProperty("post").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Contains(paths.GetProperty("/api/bookings").GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "limit" && p.GetProperty("in").GetString() == "query");
    }

    [Fact]
    public async Task The_document_is_valid_OpenAPI_by_Microsoft_OpenApi_with_its_default_rules()
    {
        var text = await (await app.CreateClient().GetAsync("/api/openapi.json")).Content.ReadAsStringAsync();

        Assert.Empty(OpenApiErrors(text));
    }

    [Fact]
    public async Task The_validator_refuses_a_component_name_with_a_backtick_as_the_old_generic_page_had()
    {
        var document = JsonNode.Parse(await (await app.CreateClient().GetAsync("/api/openapi.json")).Content.ReadAsStringAsync())!;
        document["components"]!["schemas"]!["Page`1"] = new JsonObject { ["type"] = "object" };

        Assert.Contains(OpenApiErrors(document.ToJsonString()), e => e.Contains("Page`1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_list_has_a_page_schema_of_its_own_items()
    {
        var document = await ContractAsync();
        string ItemsOf(string path)
        {
            var page = (string)document.Document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!;
            return page.Replace("#/components/schemas/", "", StringComparison.Ordinal);
        }

        Assert.Equal("PageOfBookingView", ItemsOf("/api/bookings"));
        Assert.Equal("PageOfMemberFunctions.MemberResponse", ItemsOf("/api/companies/{companyId}/members"));
        Assert.Equal("PageOfVehicleFunctions.VehicleResponse", ItemsOf("/api/companies/{companyId}/vehicles"));
        Assert.Equal("PageOfDriver", ItemsOf("/api/companies/{companyId}/drivers"));
        var members = OpenApiSchemas.Ref("PageOfMemberFunctions.MemberResponse");
        Assert.Empty(document.Validate(members, """{"items":[{"id":"mem_1","phone":"+447700900123","role":"driver","addedAt":"2026-01-01T00:00:00+00:00"}],"next":null}"""));
        Assert.NotEmpty(document.Validate(OpenApiSchemas.Ref("PageOfBookingView"), """{"items":[{"id":"mem_1","phone":"+447700900123","role":"driver","addedAt":"2026-01-01T00:00:00+00:00"}],"next":null}"""));
    }

    [Fact]
    public async Task A_vehicle_capacity_is_seats_or_kg_exactly_one_of_them()
    {
        var document = await ContractAsync();
        var add = OpenApiSchemas.Ref("VehicleFunctions.AddRequest");

        Assert.Empty(document.Validate(add, """{"type":"car","capacity":{"seats":4},"plate":"AB12 CDE"}"""));
        Assert.Empty(document.Validate(add, """{"type":"van","capacity":{"kg":800,"seats":null},"plate":"AB12 CDE"}"""));
        Assert.NotEmpty(document.Validate(add, """{"type":"car","capacity":{"seats":4,"kg":300},"plate":"AB12 CDE"}"""));
        Assert.NotEmpty(document.Validate(add, """{"type":"car","capacity":{},"plate":"AB12 CDE"}"""));
        Assert.Empty(document.Validate(
            OpenApiSchemas.Ref("VehicleFunctions.VehicleResponse"),
            """{"id":"veh_1","type":"car","capacity":{"seats":4,"kg":null},"plate":"AB12 CDE","addedAt":"2026-01-01T00:00:00+00:00"}"""));
    }

    [Fact]
    public async Task A_member_role_lists_only_the_roles_a_company_member_can_have()
    {
        var schemas = (await ContractAsync()).Document["components"]!["schemas"]!;

        Assert.Equal(["driver", "dispatcher", "companyAdmin"], schemas["MemberFunctions.AddRequest"]!["properties"]!["role"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["driver", "dispatcher", "companyAdmin"], schemas["MemberFunctions.MemberResponse"]!["properties"]!["role"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("rider", schemas["Me"]!["properties"]!["role"]!["enum"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public async Task A_required_request_field_is_not_nullable_and_an_answer_lists_every_field_it_writes()
    {
        var schemas = (await ContractAsync()).Document["components"]!["schemas"]!;

        Assert.Equal("string", (string)schemas["BookingFunctions.BookingRequest"]!["properties"]!["quoteId"]!["type"]!);
        Assert.Equal(["integer", "null"], schemas["BookingFunctions.BookingRequest"]!["properties"]!["seats"]!["type"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("string", (string)schemas["MemberFunctions.AddRequest"]!["properties"]!["role"]!["type"]!);
        Assert.Equal(["bookingId", "amount", "currency", "placedAt", "closesAt"], schemas["BidFunctions.BidResponse"]!["required"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task The_Idempotency_Key_is_required_where_the_API_refuses_a_request_without_one()
    {
        var paths = (await ContractAsync()).Document["paths"]!;
        bool Required(string path, string method) =>
            paths[path]![method]!["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "Idempotency-Key")!["required"]!.GetValue<bool>();

        Assert.True(Required("/api/bookings", "post"));
        Assert.True(Required("/api/rides/{rideId}/refunds", "post"));
        Assert.False(Required("/api/companies", "post"));
        Assert.False(Required("/api/rides/{rideId}/tip", "post"));
    }

    [Fact]
    public async Task Each_operation_lists_the_problem_answers_the_API_gives()
    {
        var paths = (await ContractAsync()).Document["paths"]!;
        bool Lists(string path, string method, string status) => paths[path]![method]!["responses"]![status] is not null;

        Assert.All(
            new[]
            {
                ("/api/bookings/{bookingId}/bids", "post"), ("/api/companies", "post"), ("/api/companies/{companyId}/members", "post"),
                ("/api/companies/{companyId}/vehicles", "post"), ("/api/rides/{rideId}/rating", "post"), ("/api/rides/{rideId}/tip", "post"),
                ("/api/rides/{rideId}/refunds", "post"), ("/api/me/email/verify", "post"), ("/api/drivers/me/availability", "put"),
            },
            o => Assert.True(Lists(o.Item1, o.Item2, "409"), $"{o.Item2} {o.Item1} does not list 409"));
        foreach (var function in FunctionIndex.App.Http.Where(f => !f.Route.Contains('*', StringComparison.Ordinal)))
        {
            var takesBody = function.Method.GetParameters().Any(p => p.IsDefined(typeof(BodyAttribute))) || function.Method.IsDefined(typeof(RawBodyAttribute));
            var takesKey = function.Method.GetParameters().Any(p => p.IsDefined(typeof(IdempotencyKeyAttribute)));
            var method = function.Methods[0].ToLowerInvariant();
            Assert.True(!takesBody || Lists("/api/" + function.Route, method, "413"), $"{function.Name} takes a body but does not list 413");
            Assert.True(!takesKey || Lists("/api/" + function.Route, method, "422"), $"{function.Name} takes an Idempotency-Key but does not list 422");
            Assert.True(Lists("/api/" + function.Route, method, "5XX"), $"{function.Name} does not list 5XX");
        }

        Assert.True(Lists("/api/webhooks/stripe", "post", "400"));
        Assert.True(Lists("/api/webhooks/twilio/sms-status", "post", "404"));
    }

    private Task<OpenApiContract> ContractAsync() => OpenApiContract.ForAsync(app.App.BaseAddress, "Development");

    private static List<string> OpenApiErrors(string json)
    {
        var (document, diagnostic) = Microsoft.OpenApi.OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings { RuleSet = ValidationRuleSet.GetDefaultRuleSet() });
        return [.. diagnostic!.Errors.Select(e => e.ToString()), .. document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString())];
    }
}
