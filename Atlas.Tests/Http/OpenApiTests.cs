using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Ops;
using Atlas.Tests.Infrastructure;

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
}
