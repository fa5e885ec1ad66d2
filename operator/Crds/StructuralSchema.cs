using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Crds;

/// <summary>One problem found in a JSON object against a schema, at a field path like <c>spec.env[0].name</c>.</summary>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// What the API server does with a structural schema, done offline on a <see cref="JsonNode"/>: find
/// the fields it would prune, apply its defaults, and check types and the OpenAPI value rules (required,
/// enum, bounds, lengths, patterns, item counts, list-type uniqueness). CEL rules are not evaluated
/// here. Paths name object fields with dots, list items with [index], map entries with .key.
/// </summary>
public static class StructuralSchema
{
    /// <summary>
    /// The paths of the fields the schema does not know, which an API server would prune silently.
    /// A schema with <c>x-kubernetes-preserve-unknown-fields</c> keeps everything below it.
    /// </summary>
    public static IReadOnlyList<string> UnknownFields(JsonNode? node, V1JSONSchemaProps schema, string path = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var unknown = new List<string>();
        CollectUnknown(node, schema, path, unknown);
        return unknown;
    }

    /// <summary>
    /// Applies the schema's defaults in place, top-down, as the API server's defaulting does: an absent
    /// field with a default gets a copy of it, and a null field that is not nullable is dropped first
    /// (so it gets the default too). Values of the wrong JSON type are left alone.
    /// </summary>
    public static void ApplyDefaults(JsonNode? node, V1JSONSchemaProps schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        switch (node)
        {
            case JsonObject obj when schema.Properties is { Count: > 0 } properties:
                foreach (var (name, property) in properties)
                {
                    if (obj.TryGetPropertyValue(name, out var value) && value is null && property.Nullable != true)
                    {
                        obj.Remove(name);
                    }

                    if (!obj.ContainsKey(name) && DefaultOf(property) is { } defaultValue)
                    {
                        obj[name] = defaultValue;
                    }

                    if (obj.TryGetPropertyValue(name, out var child))
                    {
                        ApplyDefaults(child, property);
                    }
                }

                break;
            case JsonObject obj when AdditionalPropertiesOf(schema) is { } valueSchema:
                foreach (var (_, child) in obj.ToList())
                {
                    ApplyDefaults(child, valueSchema);
                }

                break;
            case JsonArray array when ItemsOf(schema) is { } itemSchema:
                foreach (var item in array)
                {
                    ApplyDefaults(item, itemSchema);
                }

                break;
        }
    }

    /// <summary>
    /// Type errors (a string where an integer is expected, ...) and violations of the schema's value
    /// rules, each with its field path, in document order.
    /// </summary>
    public static IReadOnlyList<SchemaError> Validate(JsonNode? node, V1JSONSchemaProps schema, string path = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<SchemaError>();
        Check(node, schema, path, errors);
        return errors;
    }

    /// <summary>The schema of a list's items, whatever form the CRD holds it in.</summary>
    public static V1JSONSchemaProps? ItemsOf(V1JSONSchemaProps schema) => AsSchema(schema?.Items);

    /// <summary>The schema of a map's values; null when the object has fixed properties or keeps anything.</summary>
    public static V1JSONSchemaProps? AdditionalPropertiesOf(V1JSONSchemaProps schema) =>
        schema?.AdditionalProperties is bool or JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False }
            ? null
            : AsSchema(schema?.AdditionalProperties);

    /// <summary>A copy of the schema's default, or null when it has none.</summary>
    public static JsonNode? DefaultOf(V1JSONSchemaProps schema) => ToNode(schema?.DefaultProperty);

    /// <summary>A path to a field of the object at path.</summary>
    public static string Field(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static void CollectUnknown(JsonNode? node, V1JSONSchemaProps schema, string path, List<string> unknown)
    {
        if (schema.XKubernetesPreserveUnknownFields == true)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj when AdditionalPropertiesOf(schema) is { } valueSchema:
                foreach (var (name, child) in obj)
                {
                    CollectUnknown(child, valueSchema, Field(path, name), unknown);
                }

                break;
            case JsonObject obj when schema.AdditionalProperties is null or false || schema.Properties is { Count: > 0 }:
                foreach (var (name, child) in obj)
                {
                    if (schema.Properties is not null && schema.Properties.TryGetValue(name, out var property))
                    {
                        // The API server checks a custom resource's ObjectMeta itself (the CRD says type: object).
                        if (path.Length > 0 || name != "metadata" || property.Properties is { Count: > 0 })
                        {
                            CollectUnknown(child, property, Field(path, name), unknown);
                        }
                    }
                    else
                    {
                        unknown.Add(Field(path, name));
                    }
                }

                break;
            case JsonArray array when ItemsOf(schema) is { } itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    CollectUnknown(array[i], itemSchema, $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static void Check(JsonNode? node, V1JSONSchemaProps schema, string path, List<SchemaError> errors)
    {
        if (node is null)
        {
            if (schema.Nullable != true)
            {
                errors.Add(new SchemaError(path, $"Invalid value: \"null\": must be of type {TypeName(schema)}"));
            }

            return;
        }

        var kind = node.GetValueKind();
        if (!TypeMatches(kind, node, schema))
        {
            errors.Add(new SchemaError(path, $"Invalid value: \"{JsonTypeName(kind)}\": must be of type {TypeName(schema)}"));
            return;
        }

        if (schema.Format == "int32" && kind == JsonValueKind.Number && Number(node) is < int.MinValue or > int.MaxValue)
        {
            errors.Add(new SchemaError(path, $"Invalid value: {node.ToJsonString()}: must fit in a 32-bit integer"));
            return;
        }

        if (schema.EnumProperty is { Count: > 0 } allowed
            && !allowed.Any(value => JsonNode.DeepEquals(ToNode(value), node)))
        {
            errors.Add(new SchemaError(path,
                $"Unsupported value: {node.ToJsonString(Readable)}: supported values: {string.Join(", ", allowed.Select(v => ToNode(v)?.ToJsonString(Readable)))}"));
        }

        switch (node)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, errors);
                break;
            case JsonValue value when kind == JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case JsonValue value when kind == JsonValueKind.Number:
                CheckNumber(value, schema, path, errors);
                break;
        }
    }

    private static void CheckObject(JsonObject obj, V1JSONSchemaProps schema, string path, List<SchemaError> errors)
    {
        foreach (var name in schema.Required ?? [])
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(new SchemaError(Field(path, name), "Required value"));
            }
        }

        if (schema.MinProperties is { } min && obj.Count < min)
        {
            errors.Add(new SchemaError(path, $"Invalid value: {obj.Count}: must have at least {min} entries"));
        }

        if (schema.MaxProperties is { } max && obj.Count > max)
        {
            errors.Add(new SchemaError(path, $"Too many: {obj.Count}: must have at most {max} entries"));
        }

        var valueSchema = AdditionalPropertiesOf(schema);
        foreach (var (name, child) in obj)
        {
            var childSchema = schema.Properties is not null && schema.Properties.TryGetValue(name, out var property) ? property : valueSchema;
            if (childSchema is not null)
            {
                Check(child, childSchema, Field(path, name), errors);
            }
        }
    }

    private static void CheckArray(JsonArray array, V1JSONSchemaProps schema, string path, List<SchemaError> errors)
    {
        if (schema.MinItems is { } min && array.Count < min)
        {
            errors.Add(new SchemaError(path, $"Invalid value: {array.Count}: must have at least {min} items"));
        }

        if (schema.MaxItems is { } max && array.Count > max)
        {
            errors.Add(new SchemaError(path, $"Too many: {array.Count}: must have at most {max} items"));
        }

        var itemSchema = ItemsOf(schema);
        var seen = new List<JsonNode?>();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (itemSchema is not null)
            {
                Check(array[i], itemSchema, itemPath, errors);
            }

            var identity = schema.XKubernetesListType switch
            {
                "set" => array[i],
                "map" when array[i] is JsonObject item => new JsonObject(
                    (schema.XKubernetesListMapKeys ?? []).Select(k => KeyValuePair.Create(k, item[k]?.DeepClone()))),
                _ => null,
            };
            if (identity is not null)
            {
                if (seen.Any(s => JsonNode.DeepEquals(s, identity)))
                {
                    errors.Add(new SchemaError(itemPath, $"Duplicate value: {identity.ToJsonString(Readable)}"));
                }

                seen.Add(identity);
            }
        }
    }

    private static void CheckString(string text, V1JSONSchemaProps schema, string path, List<SchemaError> errors)
    {
        var length = new StringInfo(text).LengthInTextElements;
        if (schema.MinLength is { } min && length < min)
        {
            errors.Add(new SchemaError(path, $"Invalid value: {Quote(text)}: must be at least {min} characters long"));
        }

        if (schema.MaxLength is { } max && length > max)
        {
            errors.Add(new SchemaError(path, $"Too long: must have at most {max} characters"));
        }

        if (schema.Pattern is { } pattern
            && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new SchemaError(path, $"Invalid value: {Quote(text)}: must match the pattern {Quote(pattern)}"));
        }
    }

    private static void CheckNumber(JsonValue value, V1JSONSchemaProps schema, string path, List<SchemaError> errors)
    {
        var number = Number(value);
        if (schema.Minimum is { } min && number < min)
        {
            errors.Add(new SchemaError(path,
                $"Invalid value: {value.ToJsonString()}: must be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}"));
        }

        if (schema.Maximum is { } max && number > max)
        {
            errors.Add(new SchemaError(path,
                $"Invalid value: {value.ToJsonString()}: must be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    private static bool TypeMatches(JsonValueKind kind, JsonNode node, V1JSONSchemaProps schema)
    {
        if (schema.XKubernetesIntOrString == true)
        {
            return kind == JsonValueKind.String || IsInteger(kind, node);
        }

        return schema.Type switch
        {
            null or "" => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => IsInteger(kind, node),
            _ => true,
        };
    }

    // 1.0 counts as an integer, as it does for the API server (JSON has one number type).
    private static bool IsInteger(JsonValueKind kind, JsonNode node) =>
        kind == JsonValueKind.Number && Math.Floor(Number(node)) == Number(node);

    private static double Number(JsonNode node) =>
        double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string TypeName(V1JSONSchemaProps schema) =>
        schema.XKubernetesIntOrString == true ? "integer or string" : schema.Type ?? "any";

    private static string JsonTypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string text) => JsonValue.Create(text).ToJsonString(Readable);

    private static V1JSONSchemaProps? AsSchema(object? value) => value switch
    {
        null => null,
        V1JSONSchemaProps schema => schema,
        JsonElement { ValueKind: JsonValueKind.Object } element => KubernetesJson.Deserialize<V1JSONSchemaProps>(element),
        JsonObject obj => KubernetesJson.Deserialize<V1JSONSchemaProps>(obj),
        _ => null,
    };

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value),
    };
}
