using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Workloads;

/// <summary>
/// Stands in for kube-controller-manager's Deployment controller (<see cref="DeploymentRollout"/> decides):
/// a ReplicaSet per pod template, scaled as the rollout goes, the revision annotations, and the status
/// (replicas, updated, ready, available, the Available and Progressing conditions) from the ReplicaSets'.
/// </summary>
public sealed class DeploymentController(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers)
    : StandInController(cache, client, options, loggers)
{
    public override string Name => "deployment-controller";

    public override IReadOnlyList<WatchRegistration> Watches { get; } =
        [Runtime.Controller.Watches.For<V1Deployment>(), Runtime.Controller.Watches.Owns<V1ReplicaSet, V1Deployment>()];

    protected override async Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var deployment = Cache.Get<V1Deployment>(key.Namespace, key.Name);
        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var uid = deployment.Metadata.Uid;
        var owned = Cache.ListOwnedBy<V1ReplicaSet>(uid).Where(rs => Owners.IsControlledBy(rs.Metadata, uid)).ToList();
        var plan = DeploymentRollout.Plan(deployment, owned, Now);
        var ns = key.Namespace!;
        if (plan.Create is { } create)
        {
            await Client.CreateAsync(create, cancellationToken);
            Logger.LogInformation("deployment {Namespace}/{Name}: created ReplicaSet {ReplicaSet} with {Replicas} replicas",
                ns, key.Name, create.Metadata.Name, create.Spec.Replicas);
        }

        foreach (var change in plan.Scale)
        {
            var annotations = new Dictionary<string, string> { [DeploymentRollout.DesiredReplicasAnnotation] = (deployment.Spec.Replicas ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (change.Revision is not null)
            {
                annotations[DeploymentRollout.RevisionAnnotation] = change.Revision;
            }

            await Client.PatchAsync<V1ReplicaSet>(ns, change.ReplicaSet.Metadata.Name, new
            {
                metadata = new { annotations, resourceVersion = change.ReplicaSet.Metadata.ResourceVersion },
                spec = new { replicas = change.Replicas },
            }, cancellationToken);
            Logger.LogInformation("deployment {Namespace}/{Name}: scaled ReplicaSet {ReplicaSet} to {Replicas}", ns, key.Name, change.ReplicaSet.Metadata.Name, change.Replicas);
        }

        foreach (var rs in plan.Delete)
        {
            await Client.DeleteAsync<V1ReplicaSet>(ns, rs.Metadata.Name, rs.Metadata.Uid, cancellationToken);
        }

        if (deployment.Metadata.Annotations?.TryGetValue(DeploymentRollout.RevisionAnnotation, out var revision) != true || revision != plan.Revision)
        {
            await Client.PatchAsync<V1Deployment>(ns, key.Name, new
            {
                metadata = new
                {
                    annotations = new Dictionary<string, string> { [DeploymentRollout.RevisionAnnotation] = plan.Revision },
                    resourceVersion = deployment.Metadata.ResourceVersion,
                },
            }, cancellationToken);

            // The patch made a new resourceVersion: the status is written in the pass its watch event brings.
            return ReconcileResult.Done;
        }

        if (KubernetesJson.Serialize(plan.Status) != KubernetesJson.Serialize(deployment.Status))
        {
            var before = deployment.Status;
            deployment.Status = plan.Status;
            await Client.ReplaceStatusAsync(deployment, cancellationToken);
            if ((before?.AvailableReplicas ?? 0) != (plan.Status.AvailableReplicas ?? 0) || (before?.UpdatedReplicas ?? 0) != (plan.Status.UpdatedReplicas ?? 0))
            {
                Logger.LogInformation("deployment {Namespace}/{Name}: {Available}/{Desired} available, {Updated} up to date",
                    ns, key.Name, plan.Status.AvailableReplicas ?? 0, deployment.Spec.Replicas ?? 1, plan.Status.UpdatedReplicas ?? 0);
            }
        }

        return ReconcileResult.Done;
    }
}
