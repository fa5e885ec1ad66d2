using System.Text.Json.Nodes;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// Changes an object on its way into a cache (controller-runtime's <c>cache.TransformFunc</c>): what it
/// returns is all the cache keeps. Pure; may return its argument changed in place or a new object.
/// </summary>
public delegate JsonObject CacheTransform(JsonObject obj);

/// <summary>The transforms every cache can use.</summary>
public static class CacheTransforms
{
    /// <summary>The annotation `kubectl apply` writes: a second copy of the whole object, read by kubectl alone.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// The default: drops metadata.managedFields (server-side apply bookkeeping, often larger than the
    /// object) and kubectl's last-applied annotation (controller-runtime's TransformStripManagedFields, and a
    /// little more). Controllers read neither.
    /// </summary>
    public static JsonObject StripBookkeeping(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj["metadata"] is JsonObject metadata)
        {
            metadata.Remove("managedFields");
            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove(LastAppliedAnnotation);
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        return obj;
    }

    /// <summary>
    /// For a metadata-only cache: the identity of the object and nothing else (name, namespace, uid,
    /// resourceVersion, generation, deletionTimestamp, owner references and labels).
    /// </summary>
    public static JsonObject IdentityOnly(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var kept = new JsonObject();
        if (obj["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "generation", "deletionTimestamp", "ownerReferences", "labels" })
            {
                if (metadata[field] is { } value)
                {
                    kept[field] = value.DeepClone();
                }
            }
        }

        return new JsonObject { ["metadata"] = kept };
    }

    /// <summary>Keeps the given dot-separated paths of an object (with apiVersion, kind and metadata), dropping everything else.</summary>
    public static JsonObject Keep(JsonObject obj, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(paths);
        var kept = new JsonObject();
        foreach (var field in new[] { "apiVersion", "kind", "metadata" })
        {
            if (obj[field] is { } value)
            {
                kept[field] = value.DeepClone();
            }
        }

        foreach (var path in paths)
        {
            var parts = path.Split('.');
            JsonNode? source = obj;
            foreach (var part in parts)
            {
                source = (source as JsonObject)?[part];
            }

            if (source is null)
            {
                continue;
            }

            var target = kept;
            foreach (var part in parts[..^1])
            {
                if (target[part] is not JsonObject next)
                {
                    next = [];
                    target[part] = next;
                }

                target = next;
            }

            target[parts[^1]] = source.DeepClone();
        }

        return kept;
    }
}
