using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The pure core: a WebApp and the operator's options in, every child object out.</summary>
public static class DesiredState
{
    /// <summary>
    /// Every child object the WebApp needs, in a stable order: ConfigMaps, Services, Deployments,
    /// CronJobs, HorizontalPodAutoscalers, PodDisruptionBudgets, Ingresses, each group by name. Same input, same
    /// output, byte for byte. The input should be valid; absent fields read as their defaults.
    /// <paramref name="releaseHash"/> is the live release's hash when the operator knows it (it covers
    /// the data of referenced Secrets too); offline, the hash of the spec's release fields is used.
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(WebApp app, OperatorOptions options, string? releaseHash = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var processes = WebProcess.LongRunning(app);
        var groups = new IEnumerable<IKubernetesObject<V1ObjectMeta>?>[]
        {
            [Router.BuildConfigMap(app)],
            [ServiceBuilder.Build(app)],
            processes.Select(p => DeploymentBuilder.Build(app, p.Key, p.Value, options, releaseHash)),
            WebProcess.Scheduled(app).Select(p => CronJobBuilder.Build(app, p.Key, p.Value, releaseHash)),
            processes.Select(p => HorizontalPodAutoscalerBuilder.Build(app, p.Key, p.Value)),
            [PodDisruptionBudgetBuilder.Build(app)],
            [IngressBuilder.Build(app, options)],
        };
        return groups
            .SelectMany(group => group.OfType<IKubernetesObject<V1ObjectMeta>>().OrderBy(o => o.Metadata.Name, StringComparer.Ordinal))
            .ToList();
    }
}
