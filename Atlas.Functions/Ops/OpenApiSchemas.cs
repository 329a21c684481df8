using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Atlas.Functions.Http;

namespace Atlas.Functions.Ops;

/// <summary>
/// The document's schemas: each request and response type once under <c>components/schemas</c>, exported with the
/// app's own JSON options, enums as their names. They say what goes over the wire, which is not the same both ways:
/// in a request only the fields its record marks <see cref="RequiredAttribute"/> are required, and those cannot be
/// null; an answer always writes every field (null only where the type allows it). <see cref="AllowedValuesAttribute"/>
/// narrows an enum to the values the endpoint takes, <see cref="ExactlyOneAttribute"/> says one field of a group.
/// </summary>
public sealed class OpenApiSchemas
{
    private readonly SortedDictionary<string, (JsonNode Schema, bool Response)> _schemas = new(StringComparer.Ordinal);

    public JsonObject ToJson() => new(_schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value.Schema.DeepClone())));

    /// <summary>A reference to the type's schema, added the first time.</summary>
    public JsonObject Reference(Type type, bool response)
    {
        var id = OpenApiDocument.SchemaId(type);
        if (!_schemas.TryGetValue(id, out var known))
        {
            _schemas[id] = (Schema(type, response), response);
        }
        else if (known.Response != response)
        {
            // A record read from requests and written in answers would need two schemas: give it two types.
            throw new InvalidOperationException($"{id} is both a request body and an answer.");
        }

        return Ref(id);
    }

    /// <summary>A reference to a schema written by hand (the problem answers), added the first time.</summary>
    public JsonObject Named(string id, Func<JsonObject> schema)
    {
        if (!_schemas.ContainsKey(id))
        {
            _schemas[id] = (schema(), true);
        }

        return Ref(id);
    }

    public static JsonObject Ref(string id) => new() { ["$ref"] = $"#/components/schemas/{id}" };

    public static JsonNode Schema(Type type, bool response) => InlineLocalReferences(Export(type, response));

    /// <summary>The exporter writes a type met twice in one schema as a JSON pointer into that schema ("#/properties/…"),
    /// which means nothing once the schema is a component of the document: each such reference is replaced by a copy of
    /// what it points at (Atlas's answers have no recursive types, so this ends).</summary>
    private static JsonNode InlineLocalReferences(JsonNode root)
    {
        JsonNode Resolve(string pointer) => pointer[2..].Split('/').Where(s => s.Length > 0)
            .Aggregate(root, (node, step) => step.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal) is var key
                && node is JsonArray array ? array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)]! : node[key]!);

        JsonNode Walk(JsonNode node) => node switch
        {
            JsonObject { Count: 1 } o when o["$ref"] is JsonValue r && r.GetValue<string>() is var target && target.StartsWith("#/", StringComparison.Ordinal) =>
                Walk(Resolve(target).DeepClone()),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Walk(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : Walk(i))]),
            _ => node.DeepClone(),
        };

        return Walk(root);
    }

    private static JsonNode Export(Type type, bool response) =>
        AtlasJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                // Enums are read and written by StrictEnumConverter, which the exporter cannot see into.
                var target = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                if (target.IsEnum)
                {
                    return Enum(target, nullable: target != context.TypeInfo.Type, context.PropertyInfo?.AttributeProvider);
                }

                // Any JSON (a JsonElement): {} rather than the boolean schema true, which OpenAPI tools read badly.
                if (node is JsonValue value && value.TryGetValue<bool>(out var any) && any)
                {
                    return new JsonObject();
                }

                if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node is JsonObject objectSchema && objectSchema["properties"] is JsonObject properties)
                {
                    Describe(context.TypeInfo, objectSchema, properties, response);
                }

                return node;
            },
        });

    private static void Describe(JsonTypeInfo type, JsonObject schema, JsonObject properties, bool response)
    {
        var required = type.Properties.Where(p => response ? p.Get is not null && p.ShouldSerialize is null : IsRequired(p)).Select(p => p.Name).ToList();
        schema.Remove("required");
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        if (type.Type.GetCustomAttribute<DescriptionAttribute>() is { } typeDescription)
        {
            schema["description"] = typeDescription.Description;
        }

        foreach (var property in type.Properties)
        {
            if (properties[property.Name] is not JsonObject propertySchema)
            {
                continue;
            }

            // A request's required field must be given, and given as a value: null is refused as a missing one is.
            if (!response && IsRequired(property))
            {
                NotNull(propertySchema);
            }

            if (property.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).FirstOrDefault() is DescriptionAttribute d)
            {
                propertySchema["description"] = d.Description;
            }
        }

        if (type.Type.GetCustomAttribute<ExactlyOneAttribute>() is { } exactlyOne)
        {
            var names = exactlyOne.Properties.Select(p => type.Properties.Single(j => j.AttributeProvider is MemberInfo m && m.Name == p).Name);
            schema["oneOf"] = new JsonArray([.. names.Select(name => (JsonNode)new JsonObject
            {
                ["required"] = new JsonArray(name),
                ["properties"] = new JsonObject { [name] = NotNull(properties[name]!.DeepClone().AsObject()) },
            })]);
        }
    }

    private static bool IsRequired(JsonPropertyInfo property) => property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true;

    private static JsonObject NotNull(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var left = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            schema["type"] = left.Count == 1 ? left[0] : new JsonArray([.. left.Select(t => (JsonNode)t)]);
        }

        if (schema["enum"] is JsonArray values)
        {
            schema["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
        }

        return schema;
    }

    /// <summary>An enum by its camelCase names: those <see cref="AllowedValuesAttribute"/> allows, if the property has one.</summary>
    private static JsonObject Enum(Type type, bool nullable, ICustomAttributeProvider? property)
    {
        var allowed = property?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).OfType<AllowedValuesAttribute>().FirstOrDefault();
        var values = (allowed?.Values.Where(v => v is not null).Select(v => v!) ?? System.Enum.GetValues(type).Cast<object>())
            .Select(v => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(System.Enum.GetName(type, v)!));
        return new JsonObject
        {
            ["type"] = nullable ? new JsonArray("string", "null") : "string",
            ["enum"] = new JsonArray([.. values, .. nullable ? [null!] : Array.Empty<JsonNode>()]),
        };
    }
}
