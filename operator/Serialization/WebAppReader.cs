using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Operator.Crds;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Serialization;

/// <summary>
/// The API server's path from JSON to a stored WebApp, offline: what it refuses comes back as field
/// errors (<c>spec.processes.web.replicas: Invalid value: "string": must be of type integer</c>), never
/// as an exception. Used by render (a new object, as <c>kubectl apply</c> sends it) and the admission
/// webhook (an object the API server has already checked).
/// </summary>
public static partial class WebAppReader
{
    private static readonly Lazy<V1JSONSchemaProps> Schema = new(() =>
    {
        // The CRD's schema, with metadata checked as the API server checks ObjectMeta.
        var generator = new SchemaGenerator();
        var schema = WebAppCrd.Schema(generator);
        schema.Properties["metadata"] = generator.SchemaFor(typeof(V1ObjectMeta));
        return schema;
    });

    /// <summary>
    /// A WebApp as <c>kubectl apply</c> would create it: apiVersion and kind, unknown fields refused (kubectl's
    /// default strict field validation), the schema's defaults applied, types and value rules checked,
    /// metadata's name and namespace checked; then the typed object. Null when anything is refused.
    /// </summary>
    public static WebApp? ReadNew(JsonNode? document, List<SchemaError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (document is not JsonObject obj)
        {
            errors.Add(new SchemaError("<root>", $"Invalid value: \"{Kind(document)}\": a WebApp must be a mapping"));
            return null;
        }

        CheckTypeMeta(obj, "apiVersion", WebAppApi.ApiVersion, errors);
        CheckTypeMeta(obj, "kind", WebAppApi.Kind, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        var schema = Schema.Value;
        errors.AddRange(StructuralSchema.UnknownFields(obj, schema).Select(path => new SchemaError(path, "unknown field")));
        StructuralSchema.ApplyDefaults(obj, schema);
        errors.AddRange(StructuralSchema.Validate(obj, schema));
        if (obj["metadata"] is JsonObject metadata)
        {
            CheckMetadata(metadata, errors);
        }

        if ((obj["metadata"] as JsonObject)?["name"] is null)
        {
            errors.Add(new SchemaError("metadata.name", "Required value"));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var app = Deserialize(obj, errors);
        if (app is not null)
        {
            app.Metadata ??= new V1ObjectMeta();
            app.Metadata.NamespaceProperty ??= "default";
        }

        return app;
    }

    /// <summary>
    /// A WebApp the API server sends for admission: it has pruned, defaulted and checked it already, so
    /// only what would keep it from being read is refused (types, the schema's value rules); unknown
    /// fields are ignored, as pruned. Null when it cannot be read.
    /// </summary>
    public static WebApp? ReadAdmitted(JsonObject obj, List<SchemaError> errors)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddRange(StructuralSchema.Validate(obj, Schema.Value));
        return errors.Count > 0 ? null : Deserialize(obj, errors);
    }

    /// <summary>The typed WebApp, or null with the field that could not be read.</summary>
    public static WebApp? Deserialize(JsonObject obj, List<SchemaError> errors)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            var app = KubernetesJson.Deserialize<WebApp>(obj);
            if (app is null)
            {
                errors.Add(new SchemaError("<root>", "Invalid value: \"null\": a WebApp must be a mapping"));
            }

            return app;
        }
        catch (JsonException e)
        {
            errors.Add(new SchemaError(FieldPath(e.Path), $"Invalid value: cannot be read: {FirstSentence(e.Message)}"));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException or NotSupportedException)
        {
            errors.Add(new SchemaError("<root>", $"Invalid value: cannot be read: {FirstSentence(e.Message)}"));
        }

        return null;
    }

    // "$.spec.processes.web.replicas" or "$['spec']['processes']['a.b']" → spec.processes.web.replicas.
    private static string FieldPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "<root>";
        }

        var path = BracketName().Replace(jsonPath, m => "." + m.Groups[1].Value);
        return path.TrimStart('$').TrimStart('.');
    }

    [GeneratedRegex(@"\['((?:[^']|'')*)'\]")]
    private static partial Regex BracketName();

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static void CheckTypeMeta(JsonObject obj, string field, string supported, List<SchemaError> errors)
    {
        if (!obj.TryGetPropertyValue(field, out var value) || value is null)
        {
            errors.Add(new SchemaError(field, $"Required value: supported values: \"{supported}\""));
        }
        else if (value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() != supported)
        {
            errors.Add(new SchemaError(field, $"Unsupported value: {value.ToJsonString()}: supported values: \"{supported}\""));
        }
    }

    // The API server's ObjectMeta rules that render depends on: the name is checked by the WebApp
    // validator (stricter than the API server's), the namespace here.
    private static void CheckMetadata(JsonObject metadata, List<SchemaError> errors)
    {
        if (metadata["namespace"] is JsonValue ns && ns.GetValueKind() == JsonValueKind.String
            && ns.GetValue<string>() is var text && !KubernetesNames.IsDns1123Label(text))
        {
            errors.Add(new SchemaError("metadata.namespace",
                $"Invalid value: {ns.ToJsonString()}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                + "and must start and end with an alphanumeric character (at most 63 characters)"));
        }
    }

    private static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "object",
    };
}
