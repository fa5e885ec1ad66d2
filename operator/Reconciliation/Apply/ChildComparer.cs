using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Runtime.Informers;

namespace Kuroku.Operator.Reconciliation.Apply;

/// <summary>
/// Pure comparison and merge of a desired child with its live copy, limited to the fields Kuroku
/// owns (<see cref="OwnedKind.Fields"/>). The live copy may be the cache's trimmed one (fields compared
/// by digest hold their digest there): it compares exactly as the full object does. This is what makes create-or-update write nothing when
/// nothing changed, and never fight the server's defaults or another owner's fields.
/// </summary>
public static class ChildComparer
{
    /// <summary>True when the live object already carries everything the desired one says.</summary>
    public static bool Matches<T>(T desired, T live) where T : IKubernetesObject<V1ObjectMeta> =>
        Differences(desired, live).Count == 0;

    /// <summary>The owned paths where live differs from desired (empty when they match).</summary>
    /// <remarks>
    /// Read-only: both objects are serialized into pooled JSON documents and compared element by element,
    /// without building a mutable tree (this runs for every child of every WebApp on every full reconcile).
    /// </remarks>
    public static IReadOnlyList<string> Differences<T>(T desired, T live) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        using var d = ToDocument(desired);
        using var l = ToDocument(live);
        return Differences(d.RootElement, l.RootElement, desired.Kind);
    }

    /// <summary>
    /// The live object with the desired owned fields written over it: labels and annotations merged
    /// key by key, our controller reference ensured, owned fields replaced whole (the server defaults
    /// their insides again), everything else (status, resourceVersion, foreign fields) kept.
    /// </summary>
    public static T Merge<T>(T desired, T live) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var d = ToNode(desired);
        var merged = ToNode(live);

        foreach (var map in new[] { "labels", "annotations" })
        {
            if (d["metadata"]?[map] is JsonObject want)
            {
                var meta = (JsonObject)merged["metadata"]!;
                if (meta[map] is not JsonObject have)
                {
                    have = [];
                    meta[map] = have;
                }

                foreach (var (key, value) in want)
                {
                    have[key] = value?.DeepClone();
                }
            }
        }

        var desiredRefs = d["metadata"]?["ownerReferences"] as JsonArray;
        if (desiredRefs is { Count: > 0 })
        {
            var meta = (JsonObject)merged["metadata"]!;
            var liveRefs = meta["ownerReferences"] as JsonArray ?? [];
            var kept = new JsonArray();
            foreach (var r in liveRefs)
            {
                if (!desiredRefs.Any(w => w?["uid"]?.GetValue<string>() == r?["uid"]?.GetValue<string>()))
                {
                    kept.Add(r?.DeepClone());
                }
            }

            foreach (var w in desiredRefs)
            {
                kept.Add(w?.DeepClone());
            }

            meta["ownerReferences"] = kept;
        }

        foreach (var field in OwnedKinds.Of(desired.Kind).Fields)
        {
            var want = Get(d, field.Path);
            if (want is null)
            {
                if (field.ClearWhenAbsent)
                {
                    Remove(merged, field.Path);
                }

                continue;
            }

            Set(merged, field.Path, want.DeepClone());
        }

        return KubernetesJson.Deserialize<T>(merged.ToJsonString());
    }

    private static List<string> Differences(JsonElement desired, JsonElement live, string kind)
    {
        var diffs = new List<string>();
        var desiredMeta = Get(desired, "metadata");
        var liveMeta = Get(live, "metadata");
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (!IsSubset(Get(desiredMeta, map), Get(liveMeta, map)))
            {
                diffs.Add("metadata." + map);
            }
        }

        if (Get(desiredMeta, "ownerReferences") is { ValueKind: JsonValueKind.Array } refs)
        {
            var liveRefs = Get(liveMeta, "ownerReferences");
            foreach (var want in refs.EnumerateArray())
            {
                if (liveRefs.ValueKind != JsonValueKind.Array || !liveRefs.EnumerateArray().Any(have => IsSubset(want, have)))
                {
                    diffs.Add("metadata.ownerReferences");
                    break;
                }
            }
        }

        foreach (var field in OwnedKinds.Of(kind).Fields)
        {
            var want = Get(desired, field.Path);
            var have = Get(live, field.Path);
            var same = IsAbsent(want)
                ? !field.ClearWhenAbsent || IsAbsent(have)
                : field.Comparison == Comparison.Exact
                    ? CachedDigest.In(have) is { } digest ? digest == CachedDigest.Of(want) : JsonElement.DeepEquals(want, have)
                    : IsSubset(want, have);
            if (!same)
            {
                diffs.Add(field.Path);
            }
        }

        return diffs;
    }

    /// <summary>
    /// Every value in <paramref name="want"/> is in <paramref name="have"/>: objects may have extra keys,
    /// lists must have the same length and match item by item, scalars must be equal.
    /// </summary>
    internal static bool IsSubset(JsonNode? want, JsonNode? have)
    {
        using var w = JsonDocument.Parse(want?.ToJsonString() ?? "null");
        using var h = JsonDocument.Parse(have?.ToJsonString() ?? "null");
        return IsSubset(w.RootElement, h.RootElement);
    }

    private static bool IsSubset(JsonElement want, JsonElement have)
    {
        switch (want.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.Object:
                if (have.ValueKind != JsonValueKind.Object)
                {
                    return IsAbsent(have) && !want.EnumerateObject().Any();
                }

                foreach (var property in want.EnumerateObject())
                {
                    if (IsAbsent(property.Value))
                    {
                        continue;
                    }

                    if (!have.TryGetProperty(property.Name, out var value) || !IsSubset(property.Value, value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                if (have.ValueKind != JsonValueKind.Array)
                {
                    return IsAbsent(have) && want.GetArrayLength() == 0;
                }

                if (want.GetArrayLength() != have.GetArrayLength())
                {
                    return false;
                }

                using (var wi = want.EnumerateArray())
                using (var hi = have.EnumerateArray())
                {
                    while (wi.MoveNext() && hi.MoveNext())
                    {
                        if (!IsSubset(wi.Current, hi.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            default:
                return have.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) && JsonElement.DeepEquals(want, have);
        }
    }

    private static bool IsAbsent(JsonElement element) => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    private static JsonElement Get(JsonElement root, string path)
    {
        var element = root;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return default;
            }
        }

        return element;
    }

    private static JsonDocument ToDocument(object obj) =>
        JsonSerializer.SerializeToDocument(obj, obj.GetType(), CacheJson.SerializerOptions);

    private static JsonObject ToNode(object obj) =>
        JsonSerializer.SerializeToNode(obj, obj.GetType(), CacheJson.SerializerOptions)!.AsObject();

    private static JsonNode? Get(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static void Set(JsonObject root, string path, JsonNode value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject next)
            {
                next = [];
                node[part] = next;
            }

            node = next;
        }

        node[parts[^1]] = value;
    }

    private static void Remove(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject next)
            {
                return;
            }

            node = next;
        }

        node.Remove(parts[^1]);
    }
}
