using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

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
    public static bool Matches<T>(T desired, T live) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var d = ToNode(desired);
        var l = ToNode(live);
        return Differences(d, l, desired.Kind).Count == 0;
    }

    /// <summary>The owned paths where live differs from desired (empty when they match).</summary>
    public static IReadOnlyList<string> Differences<T>(T desired, T live) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        return Differences(ToNode(desired), ToNode(live), desired.Kind);
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

    private static List<string> Differences(JsonObject desired, JsonObject live, string kind)
    {
        var diffs = new List<string>();
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (!IsSubset(desired["metadata"]?[map], live["metadata"]?[map]))
            {
                diffs.Add("metadata." + map);
            }
        }

        if (desired["metadata"]?["ownerReferences"] is JsonArray refs)
        {
            var liveRefs = live["metadata"]?["ownerReferences"] as JsonArray ?? [];
            foreach (var want in refs)
            {
                if (!liveRefs.Any(have => IsSubset(want, have)))
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
            var same = want is null
                ? !field.ClearWhenAbsent || have is null
                : field.Comparison == Comparison.Exact
                    ? CachedDigest.In(have) is { } digest ? digest == CachedDigest.Of(want) : JsonNode.DeepEquals(want, have)
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
        switch (want)
        {
            case null:
                return true;
            case JsonObject wo:
                if (have is not JsonObject ho)
                {
                    return wo.Count == 0 && have is null;
                }

                foreach (var (key, value) in wo)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (!ho.TryGetPropertyValue(key, out var hv) || !IsSubset(value, hv))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray wa:
                if (have is not JsonArray ha)
                {
                    return wa.Count == 0 && have is null;
                }

                if (wa.Count != ha.Count)
                {
                    return false;
                }

                for (var i = 0; i < wa.Count; i++)
                {
                    if (!IsSubset(wa[i], ha[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return have is JsonValue && JsonNode.DeepEquals(want, have);
        }
    }

    private static JsonObject ToNode<T>(T obj) =>
        JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();

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
