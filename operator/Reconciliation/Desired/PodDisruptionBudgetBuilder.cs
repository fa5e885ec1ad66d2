using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The policy/v1 PodDisruptionBudget &lt;app&gt;-web.</summary>
public static class PodDisruptionBudgetBuilder
{
    /// <summary>
    /// maxUnavailable 1 when the web process can run more than one pod (replicas &gt; 1, or autoscaling
    /// with maxReplicas &gt; 1), else null. maxUnavailable (not minAvailable) never blocks a drain: at a
    /// single pod it still allows one eviction, and with more pods a drain takes them one at a time, so
    /// it cannot take them all at once. A lone pod gets no budget: there is nothing to keep.
    /// </summary>
    public static V1PodDisruptionBudget? Build(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var web = WebProcess.Find(app);
        if (web is null)
        {
            return null;
        }

        var mostReplicas = web.Autoscaling is { } autoscaling ? autoscaling.MaxReplicas : web.Replicas ?? Defaults.Replicas;
        if (mostReplicas <= 1)
        {
            return null;
        }

        return new V1PodDisruptionBudget
        {
            Metadata = ChildLabels.Metadata(app, ChildNames.WebDisruptionBudget(ChildLabels.AppName(app)), WebAppApi.WebProcess),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = ChildLabels.Selector(app, WebAppApi.WebProcess) },
            },
        }.Initialize();
    }
}
