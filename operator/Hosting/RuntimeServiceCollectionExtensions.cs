using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Events;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.LeaderElection;
using Kuroku.Runtime.Queue;
using Microsoft.Extensions.DependencyInjection.Extensions;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Hosting;

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>The child types the WebApp controller watches; a change enqueues the owning WebApp.</summary>
    public static IReadOnlyList<WatchRegistration> DefaultOwnedTypes { get; } =
    [
        Watches.Owns<V1Deployment, WebApp>(),
        Watches.Owns<V1Service, WebApp>(),
        Watches.Owns<V1Ingress, WebApp>(),
        Watches.Owns<V1Job, WebApp>(),
        Watches.Owns<V2HorizontalPodAutoscaler, WebApp>(),
        Watches.Owns<V1PodDisruptionBudget, WebApp>(),
        Watches.Owns<V1ControllerRevision, WebApp>(),
        Watches.Owns<V1ConfigMap, WebApp>(),
    ];

    /// <summary>
    /// Registers the runtime: the Kubernetes client (in-cluster config, else kubeconfig) unless one is
    /// registered, the read port (<see cref="IObjectReader"/>), the write port (<see cref="IObjectWriter"/>),
    /// the <see cref="IEventRecorder"/>, the WebApp controller manager and the leader election hosted
    /// service (<see cref="ILeaderStatus"/>). The caller registers the <see cref="IReconciler"/>.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="options">Operator options (namespace, workers, resync, leader election).</param>
    /// <param name="watches">Replaces <see cref="DefaultOwnedTypes"/> when given.</param>
    public static IServiceCollection AddKurokuRuntime(this IServiceCollection services, OperatorOptions options, IEnumerable<WatchRegistration>? watches = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new Kubernetes(KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile()));
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        services.TryAddSingleton<IApiMetrics>(NoopApiMetrics.Instance);
        services.TryAddSingleton<IWorkQueueMetrics>(NoopWorkQueueMetrics.Instance);
        services.TryAddSingleton<IControllerMetrics>(NoopControllerMetrics.Instance);

        services.TryAddSingleton<IObjectWriter>(sp => new KubernetesObjectClient(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IApiMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<CacheReader>();
        services.TryAddSingleton<IObjectReader>(sp => sp.GetRequiredService<CacheReader>());

        services.TryAddSingleton(sp => new EventRecorder(sp.GetRequiredService<IObjectWriter>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.TryAddSingleton<IEventRecorder>(sp => sp.GetRequiredService<EventRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<EventRecorder>());

        var registrations = (watches ?? DefaultOwnedTypes).ToList();
        services.TryAddSingleton(sp =>
        {
            var kubernetes = sp.GetRequiredService<Kubernetes>();
            var apiMetrics = sp.GetRequiredService<IApiMetrics>();
            return new ControllerManager<WebApp>(
                type => SourceFor(type, kubernetes, options.Namespace, apiMetrics),
                sp.GetRequiredService<IReconciler>(),
                sp.GetRequiredService<CacheReader>(),
                new ControllerManagerOptions
                {
                    Name = "webapp",
                    Namespace = options.Namespace,
                    ResyncPeriod = options.ResyncPeriod,
                    Controller = new ControllerOptions { Workers = options.Workers },
                },
                registrations,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<IWorkQueueMetrics>(),
                sp.GetRequiredService<IControllerMetrics>());
        });
        services.TryAddSingleton<IControllerRunner>(sp => sp.GetRequiredService<ControllerManager<WebApp>>());

        services.TryAddSingleton(new LeaderElectionOptions { Enabled = options.LeaderElection, Namespace = options.LeaderElectionNamespace, Identity = options.Identity });
        services.TryAddSingleton<LeaderElectionService>();
        services.TryAddSingleton<ILeaderStatus>(sp => sp.GetRequiredService<LeaderElectionService>());
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElectionService>());
        return services;
    }

    /// <summary>A <see cref="KubernetesListWatch{T}"/> for an entity type known only at run time.</summary>
    public static object SourceFor(Type entityType, Kubernetes kubernetes, string? @namespace, IApiMetrics metrics) =>
        Activator.CreateInstance(typeof(KubernetesListWatch<>).MakeGenericType(entityType), kubernetes, @namespace, metrics)!;
}
