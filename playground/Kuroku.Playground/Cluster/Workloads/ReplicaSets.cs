using Kuroku.Playground.Cluster.Nodes;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Workloads;

/// <summary>The ReplicaSet controller's decisions (pure).</summary>
public static class ReplicaSets
{
    /// <summary>
    /// The status of a ReplicaSet with these active pods: how many exist, are ready, and have been ready for
    /// minReadySeconds (available). <paramref name="recheck"/> is when a ready pod becomes available, if one will.
    /// </summary>
    public static V1ReplicaSetStatus Status(V1ReplicaSet rs, IReadOnlyList<V1Pod> active, DateTime now, out DateTime? recheck)
    {
        ArgumentNullException.ThrowIfNull(rs);
        ArgumentNullException.ThrowIfNull(active);
        var minReady = TimeSpan.FromSeconds(rs.Spec?.MinReadySeconds ?? 0);
        var ready = active.Where(Pods.IsReady).ToList();
        var available = ready.Count(p => (Pods.ReadySince(p) ?? now) + minReady <= now);
        recheck = ready.Select(p => (Pods.ReadySince(p) ?? now) + minReady).Where(t => t > now).Order().Cast<DateTime?>().FirstOrDefault();
        var templateLabels = rs.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        var fullyLabeled = active.Count(p => templateLabels.All(l => p.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value));
        return new V1ReplicaSetStatus
        {
            Replicas = active.Count,
            FullyLabeledReplicas = NullIfZero(fullyLabeled),
            ReadyReplicas = NullIfZero(ready.Count),
            AvailableReplicas = NullIfZero(available),
            ObservedGeneration = rs.Metadata.Generation,
            Conditions = rs.Status?.Conditions,
        };
    }

    /// <summary>
    /// Which pods a scale-down deletes first (the order of the ReplicaSet controller's ActivePods, shortened):
    /// not started before started, not ready before ready, then the newest.
    /// </summary>
    public static IReadOnlyList<V1Pod> ToDelete(IReadOnlyList<V1Pod> active, int count)
    {
        ArgumentNullException.ThrowIfNull(active);
        return [.. active
            .OrderBy(p => Pods.IsStarted(p))
            .ThenBy(p => Pods.IsReady(p))
            .ThenByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal)
            .Take(Math.Max(count, 0))];
    }

    internal static int? NullIfZero(int value) => value == 0 ? null : value;
}
