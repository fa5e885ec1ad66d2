using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Semantics;

/// <summary>What the API server does with a custom resource's openAPIV3Schema on write: prune unknown fields, then apply defaults.</summary>
public static class StructuralSchema
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    public static void PruneAndDefault(JsonObject obj, JsonObject schema)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (RootFields.Contains(key))
            {
                continue;
            }

            if (schema["properties"]?[key] is JsonObject propertySchema)
            {
                Visit(value, propertySchema);
            }
            else if (!PreservesUnknown(schema))
            {
                obj.Remove(key);
            }
        }

        ApplyDefaults(obj, schema);
    }

    private static void Visit(JsonNode? node, JsonObject schema)
    {
        switch (node)
        {
            case JsonObject o:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (key, value) in o.ToList())
                    {
                        if (properties[key] is JsonObject s)
                        {
                            Visit(value, s);
                        }
                        else if (!PreservesUnknown(schema))
                        {
                            o.Remove(key);
                        }
                    }
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (_, value) in o)
                    {
                        Visit(value, additional);
                    }
                }
                else if (!PreservesUnknown(schema) && schema["x-kubernetes-int-or-string"] is null && schema["x-kubernetes-embedded-resource"] is null)
                {
                    if (schema["type"]?.GetValue<string>() == "object" && schema["additionalProperties"] is null)
                    {
                        foreach (var key in o.Select(p => p.Key).ToList())
                        {
                            o.Remove(key);
                        }
                    }
                }

                ApplyDefaults(o, schema);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                foreach (var item in a)
                {
                    Visit(item, items);
                }

                break;
        }
    }

    private static void ApplyDefaults(JsonObject o, JsonObject schema)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach (var (key, propertySchema) in properties)
        {
            if (!o.ContainsKey(key) && propertySchema?["default"] is { } defaultValue)
            {
                var value = defaultValue.DeepClone();
                o[key] = value;
                Visit(value, (JsonObject)propertySchema);
            }
        }
    }

    private static bool PreservesUnknown(JsonObject schema) =>
        schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
}
