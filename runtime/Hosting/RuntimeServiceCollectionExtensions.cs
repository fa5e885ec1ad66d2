using k8s;
using k8s.Models;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Events;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.LeaderElection;
using Kuroku.Runtime.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuroku.Runtime.Hosting;

/// <summary>Registers the controller runtime in a host (controller-runtime's manager, as services).</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// The shared parts: the Kubernetes client made by <paramref name="client"/>, the write port
    /// (<see cref="IObjectWriter"/>), the read port over the informers' caches (<see cref="IObjectReader"/>),
    /// the <see cref="IEventRecorder"/>, and leader election (<see cref="ILeaderStatus"/>) around the
    /// controllers. Metric hooks default to no-ops unless registered before. Register one controller
    /// with <see cref="AddController{TPrimary}"/>.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="client">Makes the Kubernetes client.</param>
    /// <param name="leaderElection">Leader election settings.</param>
    /// <param name="throttle">Client-side limit of requests per second to the API server (every request: lists, watches, reads, writes); none when null.</param>
    public static IServiceCollection AddControllerRuntime(
        this IServiceCollection services, Func<IServiceProvider, Kubernetes> client, LeaderElectionOptions leaderElection, IRequestThrottle? throttle = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(leaderElection);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(client);
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        services.TryAddSingleton<IApiMetrics>(NoopApiMetrics.Instance);
        services.TryAddSingleton<IWorkQueueMetrics>(NoopWorkQueueMetrics.Instance);
        services.TryAddSingleton<IControllerMetrics>(NoopControllerMetrics.Instance);
        services.TryAddSingleton<IInformerMetrics>(NoopInformerMetrics.Instance);
        services.TryAddSingleton(throttle ?? RequestThrottle.None);

        services.TryAddSingleton<IObjectWriter>(sp => new KubernetesObjectClient(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IApiMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IRequestThrottle>()));
        services.TryAddSingleton<CacheReader>();
        services.TryAddSingleton<IObjectReader>(sp => sp.GetRequiredService<CacheReader>());

        services.TryAddSingleton(sp => new EventRecorder(sp.GetRequiredService<IObjectWriter>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.TryAddSingleton<IEventRecorder>(sp => sp.GetRequiredService<EventRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<EventRecorder>());

        services.TryAddSingleton(leaderElection);
        services.TryAddSingleton<LeaderElectionService>();
        services.TryAddSingleton<ILeaderStatus>(sp => sp.GetRequiredService<LeaderElectionService>());
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElectionService>());
        return services;
    }

    /// <summary>
    /// The controller of <typeparamref name="TPrimary"/>: its informers (the primary type and
    /// <paramref name="watches"/>), its work queue and workers running <paramref name="reconciler"/>,
    /// started and stopped with leadership.
    /// </summary>
    public static IServiceCollection AddController<TPrimary>(
        this IServiceCollection services, ControllerManagerOptions options, IEnumerable<WatchRegistration> watches, Func<IServiceProvider, IReconciler> reconciler)
        where TPrimary : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var registrations = (watches ?? throw new ArgumentNullException(nameof(watches))).ToList();
        services.AddSingleton(sp =>
        {
            var kubernetes = sp.GetRequiredService<Kubernetes>();
            var apiMetrics = sp.GetRequiredService<IApiMetrics>();
            var throttle = sp.GetRequiredService<IRequestThrottle>();
            return new ControllerManager<TPrimary>(
                target => new KubernetesListWatch(kubernetes, target, apiMetrics, throttle),
                reconciler(sp),
                sp.GetRequiredService<CacheReader>(),
                options with { Informers = options.Informers with { Metrics = sp.GetRequiredService<IInformerMetrics>() } },
                registrations,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<IWorkQueueMetrics>(),
                sp.GetRequiredService<IControllerMetrics>());
        });
        services.AddSingleton<IControllerRunner>(sp => sp.GetRequiredService<ControllerManager<TPrimary>>());
        return services;
    }
}
