using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Atlas.Functions.Ops;

/// <summary>
/// The OpenAPI 3.1 document of every HTTP function of the environment, made from the same declarations the Functions
/// host reads: the trigger's method and route, the <c>[Body]</c> parameter's type, the route, query and header
/// parameters, who may call (<see cref="AccessAttribute"/>) and what it answers (<see cref="RespondsAttribute"/>), with
/// the problem responses that apply (<see cref="OpenApiProblems"/>). Schemas are named by their declaring types
/// (<c>VehicleFunctions.AddRequest</c>), so records that share a name never collide; a request's property is required
/// only when its record says so (<see cref="RequiredAttribute"/>). Functions marked
/// <see cref="DevelopmentOnlyAttribute"/> are listed only in Development, where they exist.
/// </summary>
public static partial class OpenApiDocument
{
    private const string Scheme = "bearer";

    private static readonly Type[] NotParameters = [typeof(HttpRequest), typeof(FunctionContext), typeof(CancellationToken), typeof(Auth.Caller)];

    public static JsonObject Build(FunctionIndex functions, IServiceProviderIsService services, bool development)
    {
        var schemas = new OpenApiSchemas();
        var paths = new JsonObject();
        var served = functions.Http
            .Where(f => !f.Route.Contains('*', StringComparison.Ordinal) && (development || !f.Method.IsDefined(typeof(DevelopmentOnlyAttribute))))
            .OrderBy(f => f.Route, StringComparer.Ordinal);
        foreach (var function in served)
        {
            var path = "/api/" + Constraint().Replace(function.Route, "}");
            var item = paths[path] as JsonObject ?? (JsonObject)(paths[path] = new JsonObject());
            foreach (var method in function.Methods)
            {
                item[method.ToLowerInvariant()] = Operation(function, schemas, services);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Atlas",
                ["version"] = "v1",
                ["description"] = "The marketplace's HTTP functions. Errors are RFC 9457 problem+json.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.ToJson(),
                ["securitySchemes"] = new JsonObject
                {
                    [Scheme] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = Scheme,
                        ["bearerFormat"] = "JWT",
                        ["description"] = "The accessToken from POST /api/auth/otp/verify or POST /api/auth/refresh.",
                    },
                },
            },
        };
    }

    private static JsonObject Operation(HttpFunction function, OpenApiSchemas schemas, IServiceProviderIsService services)
    {
        var parameters = function.Method.GetParameters();
        var routeNames = RouteParameter().Matches(function.Route).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var operation = new JsonObject
        {
            ["operationId"] = function.Name,
            ["tags"] = new JsonArray(function.Method.DeclaringType!.Namespace!.Split('.')[^1]),
        };
        if (function.Method.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            operation["summary"] = description.Description;
        }

        var access = function.Access;
        operation["description"] = access is null ? "Refused to everyone (no access declared)."
            : access.IsAnonymous ? "Open to anyone."
            : access.Roles.Count == Enum.GetValues<Role>().Length ? "Allowed: any signed-in caller."
            : $"Allowed: {string.Join(", ", access.Roles.Order().Select(RoleNames.ToText))}.";
        if (access is { IsAnonymous: false })
        {
            operation["security"] = new JsonArray(new JsonObject { [Scheme] = new JsonArray() });
        }

        var list = new JsonArray();
        foreach (var name in routeNames)
        {
            list.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        var body = parameters.FirstOrDefault(p => p.GetCustomAttribute<BodyAttribute>() is not null);
        foreach (var parameter in parameters.Where(p => p != body && !routeNames.Contains(p.Name!) && IsQuery(p, services)))
        {
            list.Add(new JsonObject
            {
                ["name"] = parameter.Name,
                ["in"] = "query",
                ["required"] = parameter.IsDefined(typeof(RequiredAttribute)),
                ["schema"] = OpenApiSchemas.Schema(Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType, response: false),
            });
        }

        var key = parameters.FirstOrDefault(p => p.GetCustomAttribute<IdempotencyKeyAttribute>() is not null);
        if (key is not null)
        {
            list.Add(Header(
                IdempotencyKeys.Header,
                key.GetCustomAttribute<IdempotencyKeyAttribute>()!.Required,
                "A retry with the same key and body gets what the first request made; a new key for a new request.",
                new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = IdempotencyKeys.MaxLength }));
        }

        foreach (var header in function.Method.GetCustomAttributes<RequestHeaderAttribute>())
        {
            list.Add(Header(header.Name, header.Required, header.Description, new JsonObject { ["type"] = "string" }));
        }

        var takesQueryOrHeaders = list.Count > routeNames.Count;
        if (list.Count > 0)
        {
            operation["parameters"] = list;
        }

        var raw = function.Method.GetCustomAttribute<RawBodyAttribute>();
        if (body is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.Reference(body.ParameterType, response: false) } },
            };
        }
        else if (raw is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["description"] = raw.Description,
                ["content"] = new JsonObject { [raw.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
            };
        }

        var answers = new OpenApiProblems.Answers(
            TakesInput: body is not null || raw is not null || takesQueryOrHeaders,
            TakesBody: body is not null || raw is not null,
            NamesResources: routeNames.Count > 0,
            SignedIn: access is not { IsAnonymous: true },
            IdempotencyKey: key is not null,
            RateLimited: function.RateLimit is not null);
        operation["responses"] = OpenApiProblems.Responses(function.Method.GetCustomAttributes<RespondsAttribute>(), answers, schemas);
        return operation;
    }

    /// <summary>The schema id of a type: its name with the types it is declared in, e.g. <c>VehicleFunctions.AddRequest</c>;
    /// a generic type's names its arguments, e.g. <c>PageOfBookingView</c>.</summary>
    public static string SchemaId(Type type)
    {
        var name = type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}Of{string.Join("And", type.GetGenericArguments().Select(SchemaId))}"
            : type.Name;
        return type.DeclaringType is { } outer && !type.IsGenericParameter ? $"{SchemaId(outer)}.{name}" : name;
    }

    private static JsonObject Header(string name, bool required, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["required"] = required,
        ["description"] = description,
        ["schema"] = schema,
    };

    /// <summary>A query parameter: a plain value that is not a route value, a service or one of the worker's own.</summary>
    private static bool IsQuery(ParameterInfo parameter, IServiceProviderIsService services)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return parameter.GetCustomAttributes().All(a => a is not (BindingAttribute or IdempotencyKeyAttribute))
            && !NotParameters.Contains(type)
            && !services.IsService(parameter.ParameterType)
            && (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateTimeOffset));
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex Constraint();
}
