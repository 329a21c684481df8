using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Atlas.Functions.Http;

namespace Atlas.Functions.Ops;

/// <summary>The document's schemas: each request and response type once under <c>components/schemas</c>, exported
/// with the app's own JSON options, enums as their names, required only where the record says so.</summary>
public static partial class OpenApiDocument
{
    /// <summary>The schema id of a type: its name with the types it is declared in, e.g. <c>VehicleFunctions.AddRequest</c>.</summary>
    public static string SchemaId(Type type) => type.DeclaringType is { } outer ? $"{SchemaId(outer)}.{type.Name}" : type.Name;

    private static JsonNode Reference(Type type, IDictionary<string, JsonNode> schemas)
    {
        var id = SchemaId(type);
        if (!schemas.ContainsKey(id))
        {
            schemas[id] = Schema(type);
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{id}" };
    }

    private static JsonNode Schema(Type type) =>
        AtlasJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                // Enums are read and written by StrictEnumConverter, which the exporter cannot see into.
                var target = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                if (target.IsEnum)
                {
                    var names = Enum.GetNames(target).Select(n => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n));
                    return new JsonObject
                    {
                        ["type"] = target == context.TypeInfo.Type ? "string" : new JsonArray("string", "null"),
                        ["enum"] = new JsonArray([.. names, .. target == context.TypeInfo.Type ? Array.Empty<JsonNode>() : [null!]]),
                    };
                }

                if (context.PropertyInfo is null && node is JsonObject objectSchema && objectSchema["properties"] is JsonObject properties)
                {
                    var required = context.TypeInfo.Properties
                        .Where(p => p.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
                        .Select(p => (JsonNode)p.Name)
                        .ToArray();
                    objectSchema.Remove("required");
                    if (required.Length > 0)
                    {
                        objectSchema["required"] = new JsonArray(required);
                    }

                    if (context.TypeInfo.Type.GetCustomAttribute<DescriptionAttribute>() is { } typeDescription)
                    {
                        objectSchema["description"] = typeDescription.Description;
                    }

                    foreach (var property in context.TypeInfo.Properties)
                    {
                        if (property.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).FirstOrDefault() is DescriptionAttribute d
                            && properties[property.Name] is JsonObject propertySchema)
                        {
                            propertySchema["description"] = d.Description;
                        }
                    }
                }

                return node;
            },
        });
}
