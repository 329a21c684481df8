using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Atlas.Functions.Ops;

/// <summary>Puts who may call what into the OpenAPI document: a bearer scheme, required by every operation that
/// is not open to anyone, with the roles it allows in the description.</summary>
public static class OpenApiAccess
{
    private const string Scheme = "bearer";

    public static OpenApiOptions DescribeAccess(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = Scheme,
                BearerFormat = "JWT",
                Description = "The accessToken from POST /api/auth/otp/verify or POST /api/auth/refresh.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var access = context.Description.ActionDescriptor.EndpointMetadata.OfType<Access>().FirstOrDefault();
            if (access is null || access.IsAnonymous)
            {
                return Task.CompletedTask;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
            var roles = access.Roles.Count == Enum.GetValues<Role>().Length
                ? "any signed-in caller"
                : string.Join(", ", access.Roles.Order().Select(RoleNames.ToText));
            operation.Description = $"Allowed: {roles}.";
            return Task.CompletedTask;
        });
        return options;
    }
}
