using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuroku.Operator.UnitTests.Reconciliation;

/// <summary>
/// An in-memory cluster for reconciler unit tests, behind the runtime's own ports: reads and writes share
/// one store (a cache that is never stale), objects are stored as JSON copies so nobody mutates them in
/// place, writes are counted, events are collected. What the reconciler reads through
/// <see cref="IObjectReader"/> is what the operator's informers would keep: Kuroku's own children only
/// (by label), trimmed as <see cref="OwnedKinds"/> trims them; Secrets and ConfigMaps as metadata. The
/// test's own <see cref="Get{T}"/> sees whole objects.
/// </summary>
internal sealed class FakeCluster : IObjectReader, IObjectWriter, IEventRecorder
{
    private readonly Dictionary<(Type, string, string), string> _store = [];
    private readonly Dictionary<Type, Func<string, IKubernetesObject<V1ObjectMeta>>> _loaders = [];
    private long _version;

    public List<string> Writes { get; } = [];
    public List<(EventType Type, string Reason, string Message)> Events { get; } = [];

    /// <summary>When set, every create fails with it (an API server answering 500, say).</summary>
    public KubernetesApiException? FailCreates { get; set; }

    /// <summary>A failure for the next create of one object, keyed "Kind name" (used once).</summary>
    public Dictionary<string, KubernetesApiException> FailNextCreateOf { get; } = new(StringComparer.Ordinal);

    /// <summary>Objects ("Kind name") the cache does not show yet, as if their watch events were late; the writes still land.</summary>
    public HashSet<string> Lagging { get; } = new(StringComparer.Ordinal);

    /// <summary>Fail the next update of that name with 409, as if someone wrote in between.</summary>
    public HashSet<string> ConflictOnNextUpdate { get; } = [];

    /// <summary>A reconciler over this cluster, built the one way the host builds it.</summary>
    public WebAppReconciler Reconciler(OperatorOptions? options = null, TimeProvider? clock = null) =>
        WebAppReconciler.Create(this, this, this, options ?? new OperatorOptions(), clock ?? TimeProvider.System, NullLoggerFactory.Instance);

    public T Put<T>(T obj) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        obj.Metadata.Uid ??= Guid.NewGuid().ToString();
        obj.Metadata.ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture);
        obj.Metadata.Generation ??= 1;
        _store[(typeof(T), obj.Metadata.NamespaceProperty, obj.Metadata.Name)] = KubernetesJson.Serialize(obj);
        _loaders[typeof(T)] = json => KubernetesJson.Deserialize<T>(json);
        return Copy(obj);
    }

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Children() => _store
        .Where(kv => kv.Key.Item1 != typeof(WebApp))
        .Select(kv => _loaders[kv.Key.Item1](kv.Value))
        .ToList();

    /// <summary>A Secret with one key, as a user would create it.</summary>
    public void PutSecret(string ns, string name, string key, string value) => Put(new V1Secret
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = new Dictionary<string, byte[]> { [key] = System.Text.Encoding.UTF8.GetBytes(value) },
    });

    /// <summary>What the cluster's Job controller writes when a release command ends.</summary>
    public void FinishJob(string ns, string name, bool succeeded, string reason = "BackoffLimitExceeded")
    {
        var job = Get<V1Job>(ns, name)!;
        job.Status = succeeded
            ? new V1JobStatus { Succeeded = 1, Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] }
            : new V1JobStatus { Failed = 1, Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = reason }] };
        Put(job);
    }

    public void Remove<T>(string ns, string name) => _store.Remove((typeof(T), ns, name));

    /// <summary>Changes a stored object without a new resourceVersion, as if its watch event were lost.</summary>
    public void Tamper<T>(string ns, string name, Action<T> change) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var obj = Get<T>(ns, name)!;
        change(obj);
        _store[(typeof(T), ns, name)] = KubernetesJson.Serialize(obj);
    }

    public WebApp? GetWebApp(string @namespace, string name) => Get<WebApp>(@namespace, name);

    public T? Get<T>(string? @namespace, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        _store.TryGetValue((typeof(T), @namespace ?? "", name), out var json) ? KubernetesJson.Deserialize<T>(json) : null;

    T? IObjectReader.Get<T>(string? @namespace, string name) where T : class =>
        Get<T>(@namespace, name) is { } whole ? Cached(whole) : null;

    IReadOnlyList<T> IObjectReader.List<T>(string? @namespace, IReadOnlyDictionary<string, string>? matchLabels) where T : class =>
        [.. List<T>(@namespace, matchLabels).Select(Cached).OfType<T>()];

    IReadOnlyList<T> IObjectReader.ListOwnedBy<T>(string ownerUid) where T : class =>
        [.. ListOwnedBy<T>(ownerUid).Select(Cached).OfType<T>()];

    IReadOnlyList<T> IObjectReader.ListByIndex<T>(string index, string value) where T : class =>
        index == ObjectStore.OwnerIndex
            ? ((IObjectReader)this).ListOwnedBy<T>(value)
            : throw new NotSupportedException($"the reconciler reads no index \"{index}\"");

    public V1ObjectMeta? GetMetadata<T>(string? @namespace, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Get<T>(@namespace, name)?.Metadata;

    public string? VersionOf<T>(string? @namespace, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Get<T>(@namespace, name) is { } whole && (Cached(whole) is not null || !OwnedKinds.All.Any(k => k.Type == typeof(T)))
            ? whole.Metadata.ResourceVersion
            : null;

    public IReadOnlyList<ObjectVersion> VersionsOwnedBy<T>(string ownerUid) where T : class, IKubernetesObject<V1ObjectMeta> =>
        [.. ((IObjectReader)this).ListOwnedBy<T>(ownerUid).Select(o => new ObjectVersion(ObjectKey.Of(o).ToString(), o.Metadata.ResourceVersion))];

    public IReadOnlyList<T> List<T>(string? @namespace = null, IReadOnlyDictionary<string, string>? matchLabels = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _store.Where(kv => kv.Key.Item1 == typeof(T) && (@namespace is null || kv.Key.Item2 == @namespace))
            .Select(kv => KubernetesJson.Deserialize<T>(kv.Value))
            .Where(o => matchLabels is null || matchLabels.All(l => o.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value))
            .OrderBy(o => o.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(o => o.Metadata.Name, StringComparer.Ordinal)
            .ToList();

    public IReadOnlyList<T> ListOwnedBy<T>(string ownerUid) where T : class, IKubernetesObject<V1ObjectMeta> =>
        List<T>().Where(o => o.Metadata.OwnerReferences?.Any(r => r.Uid == ownerUid) == true).ToList();

    public Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Task.FromResult(Get<T>(@namespace, name));

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (FailCreates is not null)
        {
            throw FailCreates;
        }

        if (FailNextCreateOf.Remove($"{obj.Kind} {obj.Metadata.Name}", out var failure))
        {
            throw failure;
        }

        if (Get<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name) is not null)
        {
            throw new KubernetesApiException(ApiErrorReason.AlreadyExists, 409, "already exists");
        }

        Writes.Add($"create {obj.Kind} {obj.Metadata.Name}");
        var copy = Copy(obj);
        copy.Metadata.Uid = null;
        return Task.FromResult(Put(copy));
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var live = Get<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name)
            ?? throw new KubernetesApiException(ApiErrorReason.NotFound, 404, "not found");
        if (ConflictOnNextUpdate.Remove(obj.Metadata.Name) || live.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
        {
            // Someone else wrote in between: the server's copy moves on.
            Put(live);
            throw new KubernetesApiException(ApiErrorReason.Conflict, 409, "the object has been modified");
        }

        Writes.Add($"update {obj.Kind} {obj.Metadata.Name}");
        return Task.FromResult(Put(Copy(obj)));
    }

    /// <summary>A JSON merge patch (RFC 7386) of the stored object.</summary>
    public Task<T> PatchAsync<T>(string? @namespace, string name, object mergePatch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var live = Get<T>(@namespace, name) ?? throw new KubernetesApiException(ApiErrorReason.NotFound, 404, "not found");
        var patch = JsonNode.Parse(mergePatch as string ?? KubernetesJson.Serialize(mergePatch))!;
        var merged = Merge(JsonNode.Parse(KubernetesJson.Serialize(live)), patch);
        Writes.Add($"patch {live.Kind} {name}");
        return Task.FromResult(Put(KubernetesJson.Deserialize<T>(merged!.ToJsonString())));

        static JsonNode? Merge(JsonNode? target, JsonNode? patch)
        {
            if (patch is not JsonObject changes)
            {
                return patch?.DeepClone();
            }

            var result = target as JsonObject ?? [];
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = Merge(result[key]?.DeepClone(), value);
                }
            }

            return result;
        }
    }

    public Task<bool> DeleteAsync<T>(string? @namespace, string name, string? uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (Get<T>(@namespace, name) is not { } live)
        {
            return Task.FromResult(false);
        }

        if (uid is not null && live.Metadata.Uid != uid)
        {
            throw new KubernetesApiException(ApiErrorReason.Conflict, 409, "uid precondition failed");
        }

        Writes.Add($"delete {live.Kind} {name}");
        _store.Remove((typeof(T), @namespace ?? "", name));
        return Task.FromResult(true);
    }

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (obj is not WebApp app)
        {
            throw new NotSupportedException("only WebApps have their status written");
        }

        var live = Get<WebApp>(app.Metadata.NamespaceProperty, app.Metadata.Name)
            ?? throw new KubernetesApiException(ApiErrorReason.NotFound, 404, "not found");
        if (live.Metadata.ResourceVersion != app.Metadata.ResourceVersion)
        {
            throw new KubernetesApiException(ApiErrorReason.Conflict, 409, "the object has been modified");
        }

        Writes.Add($"status WebApp {app.Metadata.Name}");
        live.Status = app.Status;
        return Task.FromResult((T)(object)Put(live));
    }

    public void Record(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message) => Events.Add((type, reason, message));

    private static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    // What the operator's cache keeps of an object: a child of Kuroku's, trimmed; nothing of anyone else's.
    private T? Cached<T>(T whole) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (Lagging.Contains($"{whole.Kind} {whole.Metadata.Name}"))
        {
            return null;
        }

        var json = JsonNode.Parse(KubernetesJson.Serialize(whole))!.AsObject();
        if (OwnedKinds.All.FirstOrDefault(k => k.Type == typeof(T)) is not { } kind)
        {
            return KubernetesJson.Deserialize<T>(CacheTransforms.StripBookkeeping(json));
        }

        return whole.Metadata.Labels?.TryGetValue(ChildLabels.ManagedBy, out var manager) == true && manager == ChildLabels.Manager
            ? KubernetesJson.Deserialize<T>(kind.Trim(json))
            : null;
    }
}

/// <summary>Reconciles by namespace and name, as the work queue hands keys over.</summary>
internal static class ReconcilerTestExtensions
{
    public static Task<ReconcileResult> ReconcileAsync(this IReconciler reconciler, string ns, string name) =>
        reconciler.ReconcileAsync(new ObjectKey(ns, name), CancellationToken.None);
}
