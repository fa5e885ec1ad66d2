using System.Globalization;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation;

/// <summary>
/// An in-memory cluster for reconciler unit tests: reads and writes share one store (a cache that is
/// never stale), objects are stored as JSON copies so nobody mutates them in place, writes are counted.
/// </summary>
internal sealed class FakeCluster : IClusterReader, IClusterWriter, IEventRecorder
{
    private readonly Dictionary<(Type, string, string), string> _store = [];
    private readonly Dictionary<Type, Func<string, IKubernetesObject<V1ObjectMeta>>> _loaders = [];
    private long _version;

    public List<string> Writes { get; } = [];
    public List<(EventType Type, string Reason, string Message)> Events { get; } = [];

    /// <summary>When set, every create fails with it (an API server answering 500, say).</summary>
    public ApiException? FailCreates { get; set; }

    /// <summary>Fail the next update of that name with 409, as if someone wrote in between.</summary>
    public HashSet<string> ConflictOnNextUpdate { get; } = [];

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

    public WebApp? GetWebApp(string @namespace, string name) => Get<WebApp>(@namespace, name);

    public T? Get<T>(string @namespace, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        _store.TryGetValue((typeof(T), @namespace, name), out var json) ? KubernetesJson.Deserialize<T>(json) : null;

    public IReadOnlyList<T> ListOwned<T>(string @namespace, string ownerUid) where T : class, IKubernetesObject<V1ObjectMeta> =>
        _store.Where(kv => kv.Key.Item1 == typeof(T) && kv.Key.Item2 == @namespace)
            .Select(kv => KubernetesJson.Deserialize<T>(kv.Value))
            .Where(o => o.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Uid == ownerUid) == true)
            .ToList();

    public Task<T?> GetFreshAsync<T>(string @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => Task.FromResult(Get<T>(@namespace, name));

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (FailCreates is not null)
        {
            throw FailCreates;
        }

        if (Get<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name) is not null)
        {
            throw new ApiException(ApiFailure.AlreadyExists, 409, "already exists");
        }

        Writes.Add($"create {obj.Kind} {obj.Metadata.Name}");
        var copy = Copy(obj);
        copy.Metadata.Uid = null;
        return Task.FromResult(Put(copy));
    }

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var live = Get<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name)
            ?? throw new ApiException(ApiFailure.NotFound, 404, "not found");
        if (ConflictOnNextUpdate.Remove(obj.Metadata.Name) || live.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
        {
            // Someone else wrote in between: the server's copy moves on.
            Put(live);
            throw new ApiException(ApiFailure.Conflict, 409, "the object has been modified");
        }

        Writes.Add($"update {obj.Kind} {obj.Metadata.Name}");
        return Task.FromResult(Put(Copy(obj)));
    }

    public Task DeleteAsync<T>(string @namespace, string name, string uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var live = Get<T>(@namespace, name) ?? throw new ApiException(ApiFailure.NotFound, 404, "not found");
        if (live.Metadata.Uid != uid)
        {
            throw new ApiException(ApiFailure.Conflict, 409, "uid precondition failed");
        }

        Writes.Add($"delete {live.Kind} {name}");
        _store.Remove((typeof(T), @namespace, name));
        return Task.CompletedTask;
    }

    public Task<WebApp> UpdateStatusAsync(WebApp app, CancellationToken cancellationToken)
    {
        var live = Get<WebApp>(app.Metadata.NamespaceProperty, app.Metadata.Name)
            ?? throw new ApiException(ApiFailure.NotFound, 404, "not found");
        if (live.Metadata.ResourceVersion != app.Metadata.ResourceVersion)
        {
            throw new ApiException(ApiFailure.Conflict, 409, "the object has been modified");
        }

        Writes.Add($"status WebApp {app.Metadata.Name}");
        live.Status = app.Status;
        return Task.FromResult(Put(live));
    }

    public void Record(WebApp app, EventType type, string reason, string message) => Events.Add((type, reason, message));

    private static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
