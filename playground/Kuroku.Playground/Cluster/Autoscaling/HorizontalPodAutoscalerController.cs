using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Autoscaling;

/// <summary>
/// Stands in for kube-controller-manager's HorizontalPodAutoscaler controller, without metrics
/// (<see cref="Autoscaler"/>): a Deployment it targets is scaled through its scale subresource into
/// [minReplicas, maxReplicas], and the status says so. Looks again every <see cref="SimulationOptions.AutoscalerSyncPeriod"/>.
/// </summary>
public sealed class HorizontalPodAutoscalerController(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers)
    : StandInController(cache, client, options, loggers)
{
    public override string Name => "horizontal-pod-autoscaler";

    public override IReadOnlyList<WatchRegistration> Watches { get; } =
    [
        Runtime.Controller.Watches.For<V2HorizontalPodAutoscaler>(),
        Runtime.Controller.Watches.Map<V1Deployment>((deployment, reader) => reader.List<V2HorizontalPodAutoscaler>(deployment.NamespaceProperty)
            .Where(h => h.Spec.ScaleTargetRef is { Kind: "Deployment" } target && target.Name == deployment.Name)
            .Select(h => ObjectKey.Of(h))),
    ];

    protected override async Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var hpa = Cache.Get<V2HorizontalPodAutoscaler>(key.Namespace, key.Name);
        if (hpa is null || hpa.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var target = hpa.Spec.ScaleTargetRef;
        var deployment = target.Kind == "Deployment" ? Cache.Get<V1Deployment>(key.Namespace, target.Name) : null;
        if (deployment is null)
        {
            return ReconcileResult.After(Options.AutoscalerSyncPeriod);
        }

        var current = deployment.Spec.Replicas ?? 1;
        var (desired, reason) = Autoscaler.Desired(current, hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas);
        var lastScale = hpa.Status?.LastScaleTime;
        if (reason is not null)
        {
            await Client.PatchScaleAsync<V1Deployment>(key.Namespace!, target.Name, desired, cancellationToken);
            lastScale = Now;
            Logger.LogInformation("horizontalpodautoscaler {Namespace}/{Name}: scaled Deployment {Target} from {Current} to {Desired} ({Reason})",
                key.Namespace, key.Name, target.Name, current, desired, reason);
        }

        var status = Autoscaler.Status(hpa, deployment.Status?.Replicas ?? 0, current, desired, lastScale, Now);
        if (Autoscaler.Differs(status, hpa.Status))
        {
            hpa.Status = status;
            await Client.ReplaceStatusAsync(hpa, cancellationToken);
        }

        return ReconcileResult.After(Options.AutoscalerSyncPeriod);
    }
}
