using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;

namespace Kuroku.Operator.Reconciliation.Apply;

/// <summary>
/// One kind of object a WebApp owns: which fields of it are Kuroku's, what of it the cache keeps, and
/// whether the child applier keeps it in step with the desired state (create, update, prune) or the
/// release manager does (ControllerRevisions). The registry (<see cref="OwnedKinds"/>) drives the
/// watches, the cache trimming, the apply and the prune.
/// </summary>
public abstract class OwnedKind
{
    /// <summary>Every child carries it; the owned kinds are watched with it, so foreign objects are never cached.</summary>
    public static readonly string LabelSelector = $"{ChildLabels.ManagedBy}={ChildLabels.Manager}";

    private protected OwnedKind(string kind, Type type, IReadOnlyList<OwnedField> fields, IReadOnlyList<string> read, bool applied)
    {
        Kind = kind;
        Type = type;
        Fields = fields;
        Read = read;
        Applied = applied;
    }

    /// <summary>The kind as objects name it (Deployment, Service...).</summary>
    public string Kind { get; }

    /// <summary>The KubernetesClient model type.</summary>
    public Type Type { get; }

    /// <summary>The fields Kuroku owns on this kind; labels and annotations are merged key by key on every kind.</summary>
    public IReadOnlyList<OwnedField> Fields { get; }

    /// <summary>Other paths the operator reads (a Deployment's status for the WebApp's, a Job's for the release phase).</summary>
    public IReadOnlyList<string> Read { get; }

    /// <summary>True for children built by the desired state (applied and pruned); false for release records.</summary>
    public bool Applied { get; }

    /// <summary>
    /// What the cache keeps of an object of this kind: its metadata (without managedFields and kubectl's
    /// last-applied copy), the owned fields (those compared by digest as a digest) and the paths read.
    /// Comparing a desired child with the trimmed object finds exactly the differences the full object has.
    /// </summary>
    public JsonObject Trim(JsonObject obj)
    {
        var kept = CacheTransforms.Keep(CacheTransforms.StripBookkeeping(obj), Fields.Select(f => f.Path).Concat(Read));
        foreach (var field in Fields.Where(f => f.Digest))
        {
            CachedDigest.Replace(kept, field.Path);
        }

        return kept;
    }

    /// <summary>The watch that caches this kind (Kuroku's objects only, trimmed) and enqueues the owning WebApp.</summary>
    public abstract WatchRegistration Watch();

    /// <summary>The keys and versions of the cached objects of this kind a WebApp owns.</summary>
    public abstract IReadOnlyList<ObjectVersion> Versions(IObjectReader cache, string ownerUid);

    internal abstract Task<ChildResult> ApplyAsync(ChildApplier applier, WebApp app, IKubernetesObject<V1ObjectMeta> desired, CancellationToken cancellationToken);

    internal abstract Task<IReadOnlyList<ChildResult>> PruneAsync(ChildApplier applier, WebApp app, IReadOnlySet<(string Kind, string Name)> wanted, CancellationToken cancellationToken);
}

/// <inheritdoc />
public sealed class OwnedKind<T> : OwnedKind
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    internal OwnedKind(string kind, IReadOnlyList<OwnedField> fields, IReadOnlyList<string>? read = null, bool applied = true)
        : base(kind, typeof(T), fields, read ?? [], applied)
    {
    }

    public override WatchRegistration Watch() => Watches.Owns<T, WebApp>() with { LabelSelector = LabelSelector, Transform = Trim };

    public override IReadOnlyList<ObjectVersion> Versions(IObjectReader cache, string ownerUid)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache.VersionsOwnedBy<T>(ownerUid);
    }

    internal override Task<ChildResult> ApplyAsync(ChildApplier applier, WebApp app, IKubernetesObject<V1ObjectMeta> desired, CancellationToken cancellationToken) =>
        applier.ApplyAsync(app, (T)desired, cancellationToken);

    internal override Task<IReadOnlyList<ChildResult>> PruneAsync(ChildApplier applier, WebApp app, IReadOnlySet<(string Kind, string Name)> wanted, CancellationToken cancellationToken) =>
        applier.PruneAsync<T>(app, Kind, wanted, cancellationToken);
}

/// <summary>The kinds a WebApp owns, named once: the watches, the cache, the apply, the prune and the field ownership read this list.</summary>
public static class OwnedKinds
{
    public static OwnedKind<V1Deployment> Deployment { get; } = new("Deployment",
    [
        new("spec.replicas", ClearWhenAbsent: false),
        new("spec.selector"),
        new("spec.strategy"),
        new("spec.template"),
        new("spec.revisionHistoryLimit", ClearWhenAbsent: false),
        new("spec.progressDeadlineSeconds", ClearWhenAbsent: false),
        new("spec.minReadySeconds", ClearWhenAbsent: false),
    ],
    read: ["status"]);

    public static OwnedKind<V1Service> Service { get; } = new("Service",
    [
        new("spec.type", ClearWhenAbsent: false),
        new("spec.selector", Comparison.Exact),
        new("spec.ports"),
    ]);

    public static OwnedKind<V1Ingress> Ingress { get; } = new("Ingress",
    [
        new("spec.ingressClassName"),
        new("spec.defaultBackend"),
        new("spec.rules"),
        new("spec.tls"),
    ]);

    public static OwnedKind<V1ConfigMap> ConfigMap { get; } = new("ConfigMap",
    [
        new("data", Comparison.Exact, Digest: true),
        new("binaryData", Comparison.Exact, Digest: true),
    ]);

    public static OwnedKind<V2HorizontalPodAutoscaler> HorizontalPodAutoscaler { get; } = new("HorizontalPodAutoscaler",
    [
        new("spec.scaleTargetRef"),
        new("spec.minReplicas"),
        new("spec.maxReplicas"),
        new("spec.metrics"),
        new("spec.behavior"),
    ]);

    public static OwnedKind<V1PodDisruptionBudget> PodDisruptionBudget { get; } = new("PodDisruptionBudget",
    [
        new("spec.selector"),
        new("spec.minAvailable"),
        new("spec.maxUnavailable"),
        new("spec.unhealthyPodEvictionPolicy"),
    ]);

    /// <summary>
    /// Scheduled processes. The CronJob controller owns their Jobs and pods; the operator reads none of their
    /// status. timeZone is cleared when the spec drops it; the history limits and suspend are written always.
    /// </summary>
    public static OwnedKind<V1CronJob> CronJob { get; } = new("CronJob",
    [
        new("spec.schedule"),
        new("spec.timeZone"),
        new("spec.concurrencyPolicy", ClearWhenAbsent: false),
        new("spec.suspend", ClearWhenAbsent: false),
        new("spec.successfulJobsHistoryLimit", ClearWhenAbsent: false),
        new("spec.failedJobsHistoryLimit", ClearWhenAbsent: false),
        new("spec.jobTemplate"),
    ]);

    /// <summary>The release Job's spec is immutable once created: only metadata is ever updated; its status tells the release phase.</summary>
    public static OwnedKind<V1Job> Job { get; } = new("Job", [], read: ["status"]);

    /// <summary>
    /// Releases: written and trimmed by the release manager, never by the child applier. The cache keeps
    /// the record (annotations, number, image, config hash); the full snapshot is read when needed.
    /// </summary>
    public static OwnedKind<V1ControllerRevision> ControllerRevision { get; } = new("ControllerRevision", [],
        read: ["revision", "data.image", "data.configHash"], applied: false);

    public static IReadOnlyList<OwnedKind> All { get; } =
        [ConfigMap, Service, Deployment, CronJob, HorizontalPodAutoscaler, PodDisruptionBudget, Ingress, Job, ControllerRevision];

    /// <summary>The registered kind of that name.</summary>
    /// <exception cref="InvalidOperationException">Kuroku owns no such kind.</exception>
    public static OwnedKind Of(string kind) =>
        All.FirstOrDefault(k => k.Kind == kind) ?? throw new InvalidOperationException($"a WebApp owns no {kind}; register it in {nameof(OwnedKinds)}");
}
