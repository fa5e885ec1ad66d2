using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Autoscaling;

/// <summary>
/// The HorizontalPodAutoscaler controller's decisions without metrics (pure): the playground has no metrics
/// server, so as the real controller does when it reads no metric, replicas are only brought within
/// [minReplicas, maxReplicas], and a target scaled to zero is left alone (autoscaling disabled).
/// </summary>
public static class Autoscaler
{
    /// <summary>The replicas the target should have, and why (null when it already has them).</summary>
    public static (int Desired, string? Reason) Desired(int current, int? minReplicas, int maxReplicas)
    {
        var min = minReplicas ?? 1;
        if (current == 0 && min != 0)
        {
            return (0, null);
        }

        return current > maxReplicas ? (maxReplicas, "Current number of replicas above Spec.MaxReplicas")
            : current < min ? (min, "Current number of replicas below Spec.MinReplicas")
            : (current, null);
    }

    /// <summary>The status: the target's replicas, the desired count, and conditions that say why it does not scale on metrics.</summary>
    public static V2HorizontalPodAutoscalerStatus Status(V2HorizontalPodAutoscaler hpa, int currentReplicas, int current, int desired, DateTime? lastScale, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(hpa);
        var previous = hpa.Status?.Conditions ?? [];
        var min = hpa.Spec.MinReplicas ?? 1;
        var disabled = current == 0 && min != 0;
        return new V2HorizontalPodAutoscalerStatus
        {
            ObservedGeneration = hpa.Metadata.Generation,
            CurrentReplicas = currentReplicas,
            DesiredReplicas = desired,
            LastScaleTime = lastScale,
            CurrentMetrics = null,
            Conditions =
            [
                Condition(previous, "AbleToScale", true, "ReadyForNewScale", "recommended size matches current size", now),
                disabled
                    ? Condition(previous, "ScalingActive", false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now)
                    : Condition(previous, "ScalingActive", false, "FailedGetResourceMetric",
                        "the playground has no metrics server: replicas are only kept between minReplicas and maxReplicas", now),
                desired == hpa.Spec.MaxReplicas && current >= desired
                    ? Condition(previous, "ScalingLimited", true, "TooManyReplicas", "the desired replica count is more than the maximum replica count", now)
                    : desired == min && current <= desired && !disabled
                        ? Condition(previous, "ScalingLimited", true, "TooFewReplicas", "the desired replica count is less than the minimum replica count", now)
                        : Condition(previous, "ScalingLimited", false, "DesiredWithinRange", "the desired count is within the acceptable range", now),
            ],
        };
    }

    /// <summary>Whether two statuses differ in more than their times.</summary>
    public static bool Differs(V2HorizontalPodAutoscalerStatus? a, V2HorizontalPodAutoscalerStatus? b) =>
        KubernetesJson.Serialize(a) != KubernetesJson.Serialize(b);

    private static V2HorizontalPodAutoscalerCondition Condition(IEnumerable<V2HorizontalPodAutoscalerCondition> previous, string type, bool value, string reason, string message, DateTime now)
    {
        var status = value ? "True" : "False";
        var before = previous.FirstOrDefault(c => c.Type == type);
        return new V2HorizontalPodAutoscalerCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = before is not null && before.Status == status ? before.LastTransitionTime : now,
        };
    }
}
