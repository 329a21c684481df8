using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Atlas.Functions.Ops;

/// <summary>
/// The OpenAPI 3.1 document of every HTTP function, made from the same declarations the Functions host reads: the
/// trigger's method and route, the <c>[Body]</c> parameter's type, the route and query parameters, who may call
/// (<see cref="AccessAttribute"/>) and what it answers (<see cref="RespondsAttribute"/>), with the problem responses
/// that apply. Schemas are named by their declaring types (<c>VehicleFunctions.AddRequest</c>), so records that share a
/// name never collide; a property is required only when its record says so (<see cref="RequiredAttribute"/>).
/// </summary>
public static partial class OpenApiDocument
{
    private const string Scheme = "bearer";

    private static readonly Type[] NotParameters = [typeof(HttpRequest), typeof(FunctionContext), typeof(CancellationToken), typeof(Auth.Caller)];

    public static JsonObject Build(FunctionIndex functions, IServiceProviderIsService services)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var paths = new JsonObject();
        foreach (var function in functions.Http.Where(f => !f.Route.Contains('*', StringComparison.Ordinal)).OrderBy(f => f.Route, StringComparer.Ordinal))
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
                ["schemas"] = new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
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

    private static JsonObject Operation(HttpFunction function, IDictionary<string, JsonNode> schemas, IServiceProviderIsService services)
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
            list.Add(new JsonObject { ["name"] = parameter.Name, ["in"] = "query", ["required"] = false, ["schema"] = Schema(parameter.ParameterType) });
        }

        if (parameters.FirstOrDefault(p => p.GetCustomAttribute<IdempotencyKeyAttribute>() is not null) is { } key)
        {
            list.Add(new JsonObject
            {
                ["name"] = IdempotencyKeys.Header,
                ["in"] = "header",
                ["required"] = key.GetCustomAttribute<IdempotencyKeyAttribute>()!.Required,
                ["description"] = "A retry with the same key and body gets what the first request made; a new key for a new request.",
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = IdempotencyKeys.MaxLength },
            });
        }

        if (list.Count > 0)
        {
            operation["parameters"] = list;
        }

        if (body is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(body.ParameterType, schemas) } },
            };
        }

        operation["responses"] = Responses(function, body is not null || list.Count > 0, routeNames.Count > 0, schemas);
        return operation;
    }

    private static JsonObject Responses(HttpFunction function, bool takesInput, bool namesResources, IDictionary<string, JsonNode> schemas)
    {
        var responses = new JsonObject();
        foreach (var responds in function.Method.GetCustomAttributes<RespondsAttribute>())
        {
            if (responds.Status >= 400 && responds.Body is null)
            {
                // A declared error answer is problem+json, as every error is.
                responses[Code(responds.Status)] = Problem(Describe(responds.Status));
                continue;
            }

            var response = new JsonObject { ["description"] = Describe(responds.Status) };
            if (responds.Body is { } type)
            {
                response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(type, schemas) } };
            }

            responses[Code(responds.Status)] = response;
        }

        var problems = new List<int>();
        if (takesInput)
        {
            problems.Add(StatusCodes.Status400BadRequest);
        }

        if (function.Access is not { IsAnonymous: true })
        {
            problems.AddRange([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }

        if (namesResources)
        {
            problems.Add(StatusCodes.Status404NotFound);
        }

        if (function.RateLimit is not null)
        {
            problems.Add(StatusCodes.Status429TooManyRequests);
        }

        foreach (var status in problems)
        {
            responses[Code(status)] = Problem(Describe(status));
        }

        responses["default"] = Problem("Any other error, as problem+json (409 for a change the resource's state refuses, 5xx).");
        return responses;
    }

    private static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            ["application/problem+json"] = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["type"] = new JsonObject { ["type"] = "string" },
                        ["title"] = new JsonObject { ["type"] = "string" },
                        ["status"] = new JsonObject { ["type"] = "integer" },
                        ["detail"] = new JsonObject { ["type"] = "string" },
                        ["code"] = new JsonObject { ["type"] = "string" },
                        ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
                    },
                },
            },
        },
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

    private static string Code(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(int status) => status switch
    {
        200 => "OK.",
        201 => "Created.",
        202 => "Accepted: the change is under way.",
        204 => "Done; nothing to return.",
        400 => "The request is not valid: each wrong field named with its rule.",
        401 => "No valid access token.",
        403 => "The caller's role does not allow this.",
        404 => "Not found (other companies' resources are not found either).",
        429 => "Too many requests: wait Retry-After seconds.",
        503 => "Unavailable for now: try again after Retry-After seconds.",
        _ => $"HTTP {status}.",
    };

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex Constraint();
}
