using System.Globalization;
using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Semantics;

/// <summary>JSON merge patch (RFC 7386), JSON patch (RFC 6902) and the common cases of strategic merge patch.</summary>
public static class Patches
{
    /// <summary>What kube-apiserver answers (422 Invalid) when a JSON patch does not apply.</summary>
    public const string JsonPatchNotApplied = "the server rejected our request due to an error in our request";

    /// <summary>RFC 7386: objects merge recursively, null deletes, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = MergePatch(result[key]?.DeepClone(), value);
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>RFC 6902 operations applied in order; a failed test or a missing path is a 422 or 400 for the caller.</summary>
    public static JsonNode ApplyJsonPatch(JsonNode target, JsonArray operations)
    {
        var root = new JsonObject { ["root"] = target };
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = op["op"]?.GetValue<string>() ?? throw ApiException.BadRequest("json patch operation without 'op'");
            var path = op["path"]?.GetValue<string>() ?? throw ApiException.BadRequest("json patch operation without 'path'");
            switch (kind)
            {
                case "add":
                    Add(root, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    {
                        var from = op["from"]!.GetValue<string>();
                        var value = Get(root, from);
                        Remove(root, from);
                        Add(root, path, value);
                        break;
                    }

                case "copy":
                    Add(root, path, Get(root, op["from"]!.GetValue<string>())?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"]))
                    {
                        // kube-apiserver's words (patch.go applyJSPatch → NewGenericServerResponse 422, empty details):
                        // the same generic message for any JSON patch that does not apply, e.g. a failed resourceVersion test.
                        throw new ApiException(422, "Invalid", JsonPatchNotApplied, new JsonObject());
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"unknown json patch operation '{kind}'");
            }
        }

        return root["root"]!.DetachFromParent();
    }

    private static JsonNode DetachFromParent(this JsonNode node)
    {
        var parent = node.Parent as JsonObject;
        parent?.Remove("root");
        return node;
    }

    private static (JsonNode Parent, string Last) Resolve(JsonObject root, string pointer)
    {
        var parts = ("/root" + pointer).Split('/').Skip(1).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode node = root;
        foreach (var part in parts.Take(parts.Count - 1))
        {
            node = Child(node, part) ?? throw new ApiException(422, "Invalid", $"json patch path '{pointer}' does not exist");
        }

        return (node, parts[^1]);
    }

    private static JsonNode? Child(JsonNode node, string part) => node switch
    {
        JsonObject o => o[part],
        JsonArray a when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string pointer)
    {
        var (parent, last) = Resolve(root, pointer);
        return Child(parent, last);
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, last) = Resolve(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"json patch cannot add at '{pointer}'");
        }
    }

    private static void Remove(JsonObject root, string pointer)
    {
        var (parent, last) = Resolve(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new ApiException(422, "Invalid", $"json patch path '{pointer}' does not exist");
        }
    }

    /// <summary>
    /// Strategic merge patch for the built-in types: lists of containers, env, ports, volumes and the like
    /// merge by their key; other lists replace; the $patch, $retainKeys, $setElementOrder and
    /// $deleteFromPrimitiveList directives kubectl apply sends are honoured.
    /// </summary>
    public static JsonNode? StrategicMergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (patchObject["$patch"]?.GetValue<string>() == "replace")
        {
            var replacement = (JsonObject)patchObject.DeepClone();
            replacement.Remove("$patch");
            return replacement;
        }

        if (patchObject["$patch"]?.GetValue<string>() == "delete")
        {
            return null;
        }

        var result = target as JsonObject ?? [];
        var orders = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                orders[key["$setElementOrder/".Length..]] = (JsonArray)value!;
            }
            else if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list)
                {
                    var remove = ((JsonArray)value!).Select(JsonPathExpression.ToText).ToHashSet(StringComparer.Ordinal);
                    foreach (var item in list.Where(i => remove.Contains(JsonPathExpression.ToText(i))).ToList())
                    {
                        list.Remove(item);
                    }
                }
            }
            else if (key is "$retainKeys" or "$patch")
            {
                continue;
            }
            else if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray patchList)
            {
                result[key] = MergeList(key, result[key] as JsonArray, patchList);
            }
            else
            {
                var merged = StrategicMergePatch(result[key]?.DeepClone(), value);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = merged;
                }
            }
        }

        if (patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(JsonPathExpression.ToText).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (field, order) in orders)
        {
            if (result[field] is JsonArray list)
            {
                result[field] = Reorder(field, list, order);
            }
        }

        return result;
    }

    /// <summary>The merge key of a list field in the built-in types, or null when the list is replaced whole.</summary>
    public static string? MergeKey(string field, JsonArray sample) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "ports" => sample.OfType<JsonObject>().Any(i => i.ContainsKey("containerPort")) ? "containerPort" : "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "hostAliases" => "ip",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        _ => null,
    };

    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    private static JsonArray MergeList(string field, JsonArray? current, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(i => i["$patch"]?.GetValue<string>() == "replace"))
        {
            return [.. patch.Where(i => i is not JsonObject o || o["$patch"] is null).Select(i => i?.DeepClone())];
        }

        if (MergedPrimitiveLists.Contains(field) && current is not null)
        {
            var merged = new JsonArray([.. current.Select(i => i?.DeepClone())]);
            foreach (var item in patch.Where(p => !current.Any(c => JsonNode.DeepEquals(c, p))))
            {
                merged.Add(item?.DeepClone());
            }

            return merged;
        }

        var key = MergeKey(field, patch.Count > 0 ? patch : current ?? []);
        if (key is null || current is null)
        {
            return [.. patch.Where(i => i is not JsonObject o || o["$patch"]?.GetValue<string>() != "delete").Select(i => i?.DeepClone())];
        }

        var result = new JsonArray([.. current.Select(i => i?.DeepClone())]);
        foreach (var item in patch.OfType<JsonObject>())
        {
            var keyValue = JsonPathExpression.ToText(item[key]);
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonPathExpression.ToText(e[key]) == keyValue);
            if (item["$patch"]?.GetValue<string>() == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
            }
            else if (existing is not null)
            {
                var index = result.IndexOf(existing);
                var merged = StrategicMergePatch(existing.DeepClone(), item);
                result[index] = merged;
            }
            else
            {
                result.Add(item.DeepClone());
            }
        }

        return result;
    }

    private static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        var key = MergeKey(field, list);
        string Identity(JsonNode? n) => key is not null && n is JsonObject o ? JsonPathExpression.ToText(o[key]) : JsonPathExpression.ToText(n);
        var wanted = order.Select(o => key is not null && o is JsonObject obj ? JsonPathExpression.ToText(obj[key]) : JsonPathExpression.ToText(o)).ToList();
        var items = list.Select(i => i?.DeepClone()).ToList();
        var sorted = items.Where(i => wanted.Contains(Identity(i))).OrderBy(i => wanted.IndexOf(Identity(i)))
            .Concat(items.Where(i => !wanted.Contains(Identity(i))));
        return [.. sorted];
    }
}
