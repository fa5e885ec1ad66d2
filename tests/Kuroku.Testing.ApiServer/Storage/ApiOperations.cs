using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuroku.Testing.ApiServer.Defaults;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Registry;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Storage;

/// <summary>
/// The API semantics over the store: metadata, defaults and strategies (<see cref="BuiltInDefaults"/>,
/// <see cref="Strategies"/>), generation, optimistic concurrency, status and scale subresources,
/// finalizers, cascading deletion, CRD registration. Callers hold <see cref="ObjectStore.Gate"/>.
/// </summary>
public sealed partial class ApiOperations
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private static readonly string[] SystemMetadata = ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion"];
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly Strategies _strategies = new();
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

    public string Now() => WireTimes.Second(_time.GetUtcNow());

    public StoredObject Get(ResourceType type, string? ns, string name) =>
        _store.Get(type.StorageKey, ns, name) ?? throw ApiException.NotFound(type, name);

    /// <summary>
    /// What kube-apiserver does to a whole object it decodes from a request, before anything else: a custom
    /// resource's schema pruning and defaults; a built-in kind's defaults and its timestamps to the second.
    /// Needs no lock: the handler runs it on a create or update body before taking the store's lock.
    /// </summary>
    public static void Decode(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            if (type.Schema is not null)
            {
                StructuralSchema.PruneAndDefault(obj, type.Schema);
            }

            return;
        }

        BuiltInDefaults.Apply(type.StorageKey, obj);
        WireTimes.Normalize(obj);
    }

    /// <summary>
    /// POST: <paramref name="body"/> becomes the server's (it is changed and stored, not copied);
    /// <paramref name="decoded"/> says <see cref="Decode"/> already ran on it.
    /// </summary>
    public StoredObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun, bool decoded = false)
    {
        var obj = body;
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        if (type.Namespaced)
        {
            var bodyNs = Fields.String(metadata["namespace"]);
            if (bodyNs is { Length: > 0 } && bodyNs != ns)
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

        var name = Fields.String(metadata["name"]);
        if (string.IsNullOrEmpty(name))
        {
            var prefix = Fields.String(metadata["generateName"]);
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
        if (Strategies.TracksGeneration(type))
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

        Admit(type, obj, null, decoded);
        return dryRun ? StoredObject.From(type.StorageKey, obj) : _store.Put(type.StorageKey, obj, null);
    }

    /// <summary>
    /// PUT: replaces the object (not its status when the type has a status subresource); 409 on a stale
    /// resourceVersion; <paramref name="decoded"/> says <see cref="Decode"/> already ran on the body.
    /// </summary>
    public StoredObject Update(ResourceType type, string? ns, string name, JsonObject body, bool statusOnly, bool dryRun, bool decoded = false)
    {
        var current = Get(type, ns, name);
        var bodyName = Fields.String(body["metadata"]?["name"]);
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        CheckResourceVersion(type, current, body);
        return Replace(type, current, body, statusOnly, dryRun, decoded);
    }

    /// <summary>
    /// Applies a new version computed from <paramref name="current"/>, keeping what the request may not change.
    /// <paramref name="proposed"/> becomes the server's.
    /// </summary>
    public StoredObject Replace(ResourceType type, StoredObject current, JsonObject proposed, bool statusOnly, bool dryRun, bool decoded = false)
    {
        var before = current.ToNode();
        JsonObject updated;
        if (statusOnly)
        {
            updated = current.ToNode();
            SetOrRemove(updated, "status", proposed["status"]?.DeepClone());
        }
        else
        {
            updated = proposed;
            if (type.HasStatus)
            {
                SetOrRemove(updated, "status", before["status"]?.DeepClone());
            }
        }

        var metadata = updated["metadata"] as JsonObject ?? [];
        updated["metadata"] = metadata;
        var old = (JsonObject)before["metadata"]!;
        foreach (var field in SystemMetadata)
        {
            SetOrRemove(metadata, field, old[field]?.DeepClone());
        }

        metadata.Remove("managedFields");
        updated["apiVersion"] = before["apiVersion"]?.DeepClone();
        updated["kind"] = type.Kind;
        if (statusOnly)
        {
            if (!type.IsCustom)
            {
                WireTimes.Normalize(updated);
            }

            Refuse(type, ObjectStore.Name(updated), Strategies.ValidateStatusUpdate(type, before, updated));
        }
        else
        {
            Admit(type, updated, before, decoded);
        }

        if (Strategies.TracksGeneration(type) && SpecChanged(type, before, updated))
        {
            metadata["generation"] = (JsonPathExpression.ToLong(old["generation"]) ?? 0) + 1;
        }

        // As etcd3's GuaranteedUpdate: an update that changes nothing writes nothing and keeps the resourceVersion.
        if (JsonNode.DeepEquals(before, JsonNode.Parse(StoredObject.Serialize(updated))))
        {
            return current;
        }

        if (metadata["deletionTimestamp"] is not null && (metadata["finalizers"] as JsonArray ?? []).Count == 0)
        {
            return dryRun ? StoredObject.From(type.StorageKey, updated) : RemoveNow(type, current);
        }

        return dryRun ? StoredObject.From(type.StorageKey, updated) : _store.Put(type.StorageKey, updated, current);
    }

    public static void CheckResourceVersion(ResourceType type, StoredObject current, JsonNode? proposed)
    {
        var rv = Fields.String(proposed?["metadata"]?["resourceVersion"]);
        if (!string.IsNullOrEmpty(rv) && rv != ObjectStore.RevisionText(current.Revision))
        {
            throw ApiException.Conflict(type, current.Name, "the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    /// <summary>DELETE: honours preconditions, finalizers (sets deletionTimestamp) and the propagation policy.</summary>
    public (StoredObject Object, bool Removed) Delete(ResourceType type, string? ns, string name, JsonObject? options, string? policy, bool dryRun)
    {
        var current = Get(type, ns, name);
        var preconditions = options?["preconditions"];
        var uid = Fields.String(preconditions?["uid"]);
        if (uid is not null && uid != current.Uid)
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
        }

        var rv = Fields.String(preconditions?["resourceVersion"]);
        if (rv is not null && rv != ObjectStore.RevisionText(current.Revision))
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.Revision}");
        }

        if (dryRun)
        {
            return (current, true);
        }

        policy = Fields.String(options?["propagationPolicy"]) ?? policy ?? "Background";
        if (options?["orphanDependents"]?.GetValue<bool>() == true)
        {
            policy = "Orphan";
        }

        if (policy == "Orphan")
        {
            foreach (var dependent in Dependents(current.Uid))
            {
                var orphan = dependent.ToNode();
                var refs = (JsonArray)orphan["metadata"]!["ownerReferences"]!;
                foreach (var r in refs.Where(r => Fields.String(r?["uid"]) == current.Uid).ToList())
                {
                    refs.Remove(r);
                }

                _store.Put(dependent.StorageKey, orphan, dependent);
            }
        }
        else if (policy == "Foreground")
        {
            foreach (var dependent in Dependents(current.Uid))
            {
                var dependentType = _registry.VersionsOf(dependent.StorageKey).First();
                Delete(dependentType, dependent.Namespace, dependent.Name, null, "Foreground", false);
            }
        }

        var node = current.ToNode();
        if ((node["metadata"]!["finalizers"] as JsonArray ?? []).Count > 0)
        {
            if (current.Terminating)
            {
                return (current, false);
            }

            node["metadata"]!["deletionTimestamp"] = Now();
            node["metadata"]!["deletionGracePeriodSeconds"] = 0;
            return (_store.Put(type.StorageKey, node, current), false);
        }

        return (RemoveNow(type, current), true);
    }

    /// <summary>The objects that name <paramref name="ownerUid"/> in their ownerReferences.</summary>
    public IReadOnlyList<StoredObject> Dependents(string ownerUid) =>
        [.. _store.All().Where(o => o.OwnerUids.Contains(ownerUid, StringComparer.Ordinal))];

    private StoredObject RemoveNow(ResourceType type, StoredObject current)
    {
        if (type.StorageKey == "/namespaces")
        {
            foreach (var obj in _store.All().Where(o => o.Namespace == current.Name))
            {
                _strategies.Removed(obj.StorageKey, obj.ToNode);
                _store.Remove(obj);
            }
        }
        else if (type.StorageKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            var served = ResourceRegistry.FromCrd(current.ToNode());
            foreach (var key in served.Select(s => s.StorageKey).Distinct())
            {
                foreach (var obj in _store.List(key, null).ToList())
                {
                    _store.Remove(obj);
                }
            }

            _registry.Unregister(current.Name);
        }

        _strategies.Removed(type.StorageKey, current.ToNode);
        var gone = _store.Remove(current);
        ObjectRemoved?.Invoke();
        return gone;
    }

    /// <summary>The autoscaling/v1 Scale of an object with a scale subresource.</summary>
    public static JsonObject GetScale(ResourceType type, StoredObject stored)
    {
        var scale = type.Scale ?? throw ApiException.NotFound(type, stored.Name);
        var obj = stored.ToNode();
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
    public JsonObject UpdateScale(ResourceType type, StoredObject current, JsonObject scaleBody, bool dryRun)
    {
        var scale = type.Scale ?? throw ApiException.NotFound(type, current.Name);
        CheckResourceVersion(type, current, scaleBody);
        var replicas = JsonPathExpression.ToLong(scaleBody["spec"]?["replicas"]) ?? 0;
        if (replicas < 0)
        {
            throw ApiException.Invalid(type, current.Name, "spec.replicas", $"Invalid value: {replicas}: must be greater than or equal to 0");
        }

        var updated = current.ToNode();
        SetPath(updated, scale.SpecReplicasPath, replicas);
        return GetScale(type, Replace(type, current, updated, statusOnly: false, dryRun));
    }

    /// <summary>What the server stores for a CRD: its names accepted and Established, and the types it serves.</summary>
    private void RegisterCrd(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var storage = Fields.String((spec?["versions"] as JsonArray ?? []).FirstOrDefault(v => v?["storage"]?.GetValue<bool>() == true)?["name"]);
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

    /// <summary>
    /// What every write of a whole object goes through, as in kube-apiserver: <see cref="Decode"/> (unless done),
    /// then for a built-in kind its strategy and validation. Refuses with 422.
    /// </summary>
    private void Admit(ResourceType type, JsonObject obj, JsonObject? old, bool decoded)
    {
        var name = ObjectStore.Name(obj);
        if (!decoded)
        {
            Decode(type, obj);
        }

        if (type.IsCustom)
        {
            return;
        }

        Refuse(type, name, old is null ? _strategies.PrepareForCreate(type, obj) : _strategies.PrepareForUpdate(type, old, obj));
        if (type.StorageKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
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
        }
    }

    private static void Refuse(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }
    }

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

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsSubdomain();
}
