using Kuroku.Playground.Cluster.Nodes;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Workloads;

/// <summary>
/// Stands in for kube-controller-manager's ReplicaSet controller: keeps spec.replicas active pods made from the
/// template (named &lt;replicaset&gt;-&lt;random&gt;, owned by the ReplicaSet), deletes the extra ones, and writes
/// the counts of existing, ready and available pods into status.
/// </summary>
public sealed class ReplicaSetController(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers)
    : StandInController(cache, client, options, loggers)
{
    private readonly Expectations expectations = new(options.Time);

    public override string Name => "replicaset-controller";

    public override IReadOnlyList<WatchRegistration> Watches { get; } =
        [Runtime.Controller.Watches.For<V1ReplicaSet>(), Runtime.Controller.Watches.Owns<V1Pod, V1ReplicaSet>()];

    protected override async Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var rs = Cache.Get<V1ReplicaSet>(key.Namespace, key.Name);
        if (rs is null || rs.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var uid = rs.Metadata.Uid;
        var pods = Cache.ListOwnedBy<V1Pod>(uid).Where(p => Owners.IsControlledBy(p.Metadata, uid)).ToList();
        if (!expectations.Satisfied(uid, pods.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal)))
        {
            return ReconcileResult.After(TimeSpan.FromMilliseconds(200));
        }

        var active = pods.Where(Pods.IsActive).ToList();
        var desired = rs.Spec.Replicas ?? 1;
        if (desired > active.Count)
        {
            for (var i = active.Count; i < desired; i++)
            {
                var pod = Pods.FromTemplate(rs.Spec.Template, Owners.ControllerReference(rs), key.Namespace!, rs.Metadata.Name + "-");
                var created = await Client.CreateAsync(pod, cancellationToken);
                expectations.Created(uid, created.Metadata.Name);
                Logger.LogInformation("created pod {Namespace}/{Name}", key.Namespace, created.Metadata.Name);
            }
        }
        else if (desired < active.Count)
        {
            foreach (var pod in ReplicaSets.ToDelete(active, active.Count - desired))
            {
                expectations.Deleted(uid, pod.Metadata.Name);
                await Client.DeleteAsync<V1Pod>(key.Namespace!, pod.Metadata.Name, pod.Metadata.Uid, cancellationToken);
                Logger.LogInformation("deleted pod {Namespace}/{Name}", key.Namespace, pod.Metadata.Name);
            }
        }

        var status = ReplicaSets.Status(rs, active, Now, out var recheck);
        if (KubernetesJson.Serialize(status) != KubernetesJson.Serialize(rs.Status))
        {
            rs.Status = status;
            await Client.ReplaceStatusAsync(rs, cancellationToken);
        }

        return recheck is { } due ? At(due) : ReconcileResult.Done;
    }
}
