using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The autoscaling/v2 HorizontalPodAutoscaler &lt;app&gt;-&lt;process&gt; of a process with autoscaling.</summary>
public static class HorizontalPodAutoscalerBuilder
{
    /// <summary>The HPA on average CPU utilization, or null when the process does not autoscale.</summary>
    public static V2HorizontalPodAutoscaler? Build(WebApp app, string process, ProcessSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(process);
        if (spec?.Autoscaling is not { } autoscaling)
        {
            return null;
        }

        var name = ChildNames.Process(ChildLabels.AppName(app), process);
        var minReplicas = Math.Max(1, autoscaling.MinReplicas ?? Defaults.AutoscalingMinReplicas);
        return new V2HorizontalPodAutoscaler
        {
            Metadata = ChildLabels.Metadata(app, name, process),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
                MinReplicas = minReplicas,
                MaxReplicas = Math.Max(minReplicas, autoscaling.MaxReplicas),
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget
                            {
                                Type = "Utilization",
                                AverageUtilization = autoscaling.TargetCPUUtilizationPercentage ?? Defaults.TargetCpuUtilizationPercentage,
                            },
                        },
                    },
                ],
            },
        }.Initialize();
    }
}
