using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Storage;

/// <summary>
/// The API semantics over the store: metadata, generation, optimistic concurrency, status and scale
/// subresources, finalizers, cascading deletion, CRD registration. Callers hold <see cref="ObjectStore.Gate"/>.
/// </summary>
public sealed partial class ApiOperations
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly Random _random = new(1);

    public ApiOperations(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _registry = registry;
        _time = time;
    }

    /// <summary>Raised (under the lock) after an object is removed, so the garbage collector can look for dependents.</summary>
    public event Action? ObjectRemoved;

    public ObjectStore Store => _store;

    public string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject Get(ResourceType type, string? ns, string name) =>
        _store.Get(type.StorageKey, ns, name) ?? throw ApiException.NotFound(type, name);

    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun)
    {
        var obj = (JsonObject)body.DeepClone();
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        if (type.Namespaced)
        {
            var bodyNs = metadata["namespace"]?.GetValue<string>();
            if (bodyNs is not null && bodyNs.Length > 0 && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
            if (_store.Get("/namespaces", null, ns!) is null)
            {
                throw new ApiException(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });
            }
        }
        else
        {
            metadata.Remove("namespace");
        }

        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var prefix = metadata["generateName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(type, "", "metadata.name", "Required value: name or generateName is required");
            }

            do
            {
                name = prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameAlphabet[_random.Next(NameAlphabet.Length)])]);
            }
            while (_store.Get(type.StorageKey, ns, name) is not null);
            metadata["name"] = name;
        }

        ValidateName(type, name);
        if (_store.Get(type.StorageKey, ns, name) is not null)
        {
            throw ApiException.AlreadyExists(type, name);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        if (ManagesGeneration(type, obj))
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (type.HasStatus)
        {
            obj.Remove("status");
        }

        Admit(type, obj);
        return dryRun ? obj : _store.Put(type.StorageKey, obj, "ADDED", null);
    }

    /// <summary>PUT: replaces the object (not its status when the type has a status subresource); 409 on a stale resourceVersion.</summary>
    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, bool statusOnly, bool dryRun)
    {
        var current = Get(type, ns, name);
        var bodyName = body["metadata"]?["name"]?.GetValue<string>();
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        CheckResourceVersion(type, current, body);
        return Replace(type, current, body, statusOnly, dryRun);
    }

    /// <summary>Applies a new version computed from <paramref name="current"/>, keeping what the request may not change.</summary>
    public JsonObject Replace(ResourceType type, JsonObject current, JsonObject proposed, bool statusOnly, bool dryRun)
    {
        JsonObject updated;
        if (statusOnly)
        {
            updated = (JsonObject)current.DeepClone();
            SetOrRemove(updated, "status", proposed["status"]?.DeepClone());
        }
        else
        {
            updated = (JsonObject)proposed.DeepClone();
            if (type.HasStatus)
            {
                SetOrRemove(updated, "status", current["status"]?.DeepClone());
            }
        }

        var metadata = updated["metadata"] as JsonObject ?? [];
        updated["metadata"] = metadata;
        var old = (JsonObject)current["metadata"]!;
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion" })
        {
            SetOrRemove(metadata, field, old[field]?.DeepClone());
        }

        metadata.Remove("managedFields");
        updated["apiVersion"] = current["apiVersion"]?.DeepClone();
        updated["kind"] = type.Kind;
        if (!statusOnly)
        {
            Admit(type, updated);
        }

        if (ManagesGeneration(type, updated) && SpecChanged(type, current, updated))
        {
            metadata["generation"] = (JsonPathExpression.ToLong(old["generation"]) ?? 0) + 1;
        }

        if (JsonNode.DeepEquals(current, updated))
        {
            return current;
        }

        if (metadata["deletionTimestamp"] is not null && (metadata["finalizers"] as JsonArray ?? []).Count == 0)
        {
            return dryRun ? updated : RemoveNow(type, updated);
        }

        if (dryRun)
        {
            return updated;
        }

        return _store.Put(type.StorageKey, updated, "MODIFIED", current);
    }

    public static void CheckResourceVersion(ResourceType type, JsonObject current, JsonNode? proposed)
    {
        var rv = proposed?["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(rv) && rv != current["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            throw ApiException.Conflict(type, ObjectStore.Name(current), "the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    /// <summary>DELETE: honours preconditions, finalizers (sets deletionTimestamp) and the propagation policy.</summary>
    public (JsonObject Object, bool Removed) Delete(ResourceType type, string? ns, string name, JsonObject? options, string? policy, bool dryRun)
    {
        var current = Get(type, ns, name);
        var preconditions = options?["preconditions"];
        var uid = preconditions?["uid"]?.GetValue<string>();
        if (uid is not null && uid != current["metadata"]!["uid"]!.GetValue<string>())
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current["metadata"]!["uid"]}");
        }

        var rv = preconditions?["resourceVersion"]?.GetValue<string>();
        if (rv is not null && rv != current["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current["metadata"]!["resourceVersion"]}");
        }

        if (dryRun)
        {
            return (current, true);
        }

        policy = options?["propagationPolicy"]?.GetValue<string>() ?? policy ?? "Background";
        if (options?["orphanDependents"]?.GetValue<bool>() == true)
        {
            policy = "Orphan";
        }

        var ownerUid = current["metadata"]!["uid"]!.GetValue<string>();
        if (policy == "Orphan")
        {
            foreach (var (key, dependent) in Dependents(ownerUid))
            {
                var orphan = (JsonObject)dependent.DeepClone();
                var refs = (JsonArray)orphan["metadata"]!["ownerReferences"]!;
                foreach (var r in refs.Where(r => r?["uid"]?.GetValue<string>() == ownerUid).ToList())
                {
                    refs.Remove(r);
                }

                _store.Put(key, orphan, "MODIFIED", dependent);
            }
        }
        else if (policy == "Foreground")
        {
            foreach (var (key, dependent) in Dependents(ownerUid))
            {
                var dependentType = _registry.VersionsOf(key).First();
                Delete(dependentType, ObjectStore.Namespace(dependent), ObjectStore.Name(dependent), null, "Foreground", false);
            }
        }

        if ((current["metadata"]!["finalizers"] as JsonArray ?? []).Count > 0)
        {
            if (current["metadata"]!["deletionTimestamp"] is not null)
            {
                return (current, false);
            }

            var marked = (JsonObject)current.DeepClone();
            marked["metadata"]!["deletionTimestamp"] = Now();
            marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
            return (_store.Put(type.StorageKey, marked, "MODIFIED", current), false);
        }

        return (RemoveNow(type, current), true);
    }

    /// <summary>The objects that name <paramref name="ownerUid"/> in their ownerReferences.</summary>
    public IReadOnlyList<(string StorageKey, JsonObject Object)> Dependents(string ownerUid) =>
        [.. _store.All().Where(e => (e.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => r?["uid"]?.GetValue<string>() == ownerUid))];

    private JsonObject RemoveNow(ResourceType type, JsonObject current)
    {
        var name = ObjectStore.Name(current);
        if (type.StorageKey == "/namespaces")
        {
            foreach (var (key, obj) in _store.All().Where(e => ObjectStore.Namespace(e.Object) == name))
            {
                var t = _registry.VersionsOf(key).FirstOrDefault();
                if (t is not null)
                {
                    _store.Remove(key, obj);
                }
            }
        }
        else if (type.StorageKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            var served = ResourceRegistry.FromCrd(current);
            foreach (var key in served.Select(s => s.StorageKey).Distinct())
            {
                foreach (var obj in _store.List(key, null))
                {
                    _store.Remove(key, obj);
                }
            }

            _registry.Unregister(name);
        }

        var gone = _store.Remove(type.StorageKey, current);
        ObjectRemoved?.Invoke();
        return gone;
    }

    /// <summary>The autoscaling/v1 Scale of an object with a scale subresource.</summary>
    public JsonObject GetScale(ResourceType type, JsonObject obj)
    {
        var scale = type.Scale ?? throw ApiException.NotFound(type, ObjectStore.Name(obj));
        var metadata = (JsonObject)obj["metadata"]!;
        var selector = JsonPathExpression.First(obj, scale.LabelSelectorPath ?? ".nothing");
        var status = new JsonObject { ["replicas"] = ToInt(JsonPathExpression.First(obj, scale.StatusReplicasPath)) };
        if (selector is not null)
        {
            status["selector"] = selector is JsonObject s ? LabelSelector.ToText(s) : JsonPathExpression.ToText(selector);
        }

        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = ToInt(JsonPathExpression.First(obj, scale.SpecReplicasPath)) },
            ["status"] = status,
        };
    }

    /// <summary>Writes a Scale's spec.replicas into the object's specReplicasPath.</summary>
    public JsonObject UpdateScale(ResourceType type, JsonObject current, JsonObject scaleBody, bool dryRun)
    {
        var scale = type.Scale ?? throw ApiException.NotFound(type, ObjectStore.Name(current));
        CheckResourceVersion(type, current, scaleBody);
        var replicas = JsonPathExpression.ToLong(scaleBody["spec"]?["replicas"]) ?? 0;
        if (replicas < 0)
        {
            throw ApiException.Invalid(type, ObjectStore.Name(current), "spec.replicas", $"Invalid value: {replicas}: must be greater than or equal to 0");
        }

        var updated = (JsonObject)current.DeepClone();
        SetPath(updated, scale.SpecReplicasPath, replicas);
        return GetScale(type, Replace(type, current, updated, statusOnly: false, dryRun));
    }

    /// <summary>What the server stores for a CRD: its names accepted and Established, and the types it serves.</summary>
    private void RegisterCrd(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var storage = (spec?["versions"] as JsonArray ?? []).FirstOrDefault(v => v?["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>();
        var now = Now();
        if (crd["status"]?["conditions"] is JsonArray)
        {
            crd["status"]!["acceptedNames"] = spec?["names"]?.DeepClone();
            _registry.Register(crd);
            return;
        }

        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["acceptedNames"] = spec?["names"]?.DeepClone(),
            ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
        };
        _registry.Register(crd);
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>Type-specific defaulting and validation on create and update.</summary>
    private void Admit(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom && type.Schema is not null)
        {
            StructuralSchema.PruneAndDefault(obj, type.Schema);
        }

        switch (type.StorageKey)
        {
            case "/namespaces":
                obj["status"] = new JsonObject { ["phase"] = obj["metadata"]?["deletionTimestamp"] is null ? "Active" : "Terminating" };
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                break;
            case "apiextensions.k8s.io/customresourcedefinitions":
                var name = ObjectStore.Name(obj);
                try
                {
                    var served = ResourceRegistry.FromCrd(obj);
                    if (served.Count == 0 || $"{served[0].Plural}.{served[0].Group}" != name)
                    {
                        throw ApiException.Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
                    }
                }
                catch (Exception e) when (e is not ApiException)
                {
                    throw ApiException.Invalid(type, name, "spec", e.Message);
                }

                RegisterCrd(obj);
                break;
        }
    }

    private static bool ManagesGeneration(ResourceType type, JsonObject obj) =>
        type.IsCustom || obj.ContainsKey("spec") || type.StorageKey == "apiextensions.k8s.io/customresourcedefinitions";

    private static bool SpecChanged(ResourceType type, JsonObject before, JsonObject after)
    {
        IEnumerable<string> Fields(JsonObject o) => o.Select(p => p.Key).Where(k => k is not "metadata" and not "apiVersion" and not "kind" && !(k == "status" && type.HasStatus));
        var keys = Fields(before).Union(Fields(after)).Distinct();
        return keys.Any(k => !JsonNode.DeepEquals(before[k], after[k]));
    }

    private static void ValidateName(ResourceType type, string name)
    {
        var valid = type.StorageKey == "/namespaces"
            ? name.Length <= 63 && DnsLabel().IsMatch(name)
            : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!valid)
        {
            throw ApiException.Invalid(type, name, "metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    public static void SetPath(JsonObject obj, string path, JsonNode? value)
    {
        var parts = path.TrimStart('.').Split('.');
        var node = obj;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }

    private static void SetOrRemove(JsonObject obj, string key, JsonNode? value)
    {
        if (value is null)
        {
            obj.Remove(key);
        }
        else
        {
            obj[key] = value;
        }
    }

    private static long ToInt(JsonNode? node) => JsonPathExpression.ToLong(node) ?? 0;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsSubdomain();
}
