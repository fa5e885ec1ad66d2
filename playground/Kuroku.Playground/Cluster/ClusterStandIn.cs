using Kuroku.Playground.Cluster.Autoscaling;
using Kuroku.Playground.Cluster.Batch;
using Kuroku.Playground.Cluster.Nodes;
using Kuroku.Playground.Cluster.Workloads;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster;

/// <summary>
/// The stand-in for a cluster's nodes and the built-in controllers Kuroku relies on: the Deployment, ReplicaSet,
/// Job (with TTL-after-finished), CronJob and HorizontalPodAutoscaler controllers of kube-controller-manager, and
/// one kubelet that runs every pod. Each is a controller of its own on the project's controller runtime: it lists
/// and watches through the API server with a Kubernetes client made from a kubeconfig, exactly as the operator
/// does, reconciles keys level-triggered, and writes through the API. Nothing else talks to the server for it.
/// </summary>
public sealed class ClusterStandIn : IAsyncDisposable
{
    private readonly Kubernetes kubernetes;
    private readonly List<(string Name, IControllerRunner Runner, Func<bool> Running)> controllers = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> tasks = [];

    private ClusterStandIn(Kubernetes kubernetes) => this.kubernetes = kubernetes;

    /// <summary>The names of the components it stands in for.</summary>
    public IReadOnlyList<string> Components => [.. controllers.Select(c => c.Name)];

    /// <summary>Starts every controller against the cluster the kubeconfig names; returns once all their caches synced.</summary>
    public static async Task<ClusterStandIn> StartAsync(KubernetesClientConfiguration configuration, SimulationOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var standIn = new ClusterStandIn(new Kubernetes(configuration));
        standIn.Add<V1Deployment>((cache, client) => new DeploymentController(cache, client, options, loggers), "kube-controller-manager", options, loggers);
        standIn.Add<V1ReplicaSet>((cache, client) => new ReplicaSetController(cache, client, options, loggers), "kube-controller-manager", options, loggers);
        standIn.Add<V1Job>((cache, client) => new JobController(cache, client, options, loggers), "kube-controller-manager", options, loggers);
        standIn.Add<V1CronJob>((cache, client) => new CronJobController(cache, client, options, loggers), "kube-controller-manager", options, loggers);
        standIn.Add<V2HorizontalPodAutoscaler>((cache, client) => new HorizontalPodAutoscalerController(cache, client, options, loggers), "kube-controller-manager", options, loggers);
        standIn.Add<V1Pod>((cache, client) => new Kubelet(cache, client, options, loggers), "kubelet", options, loggers);
        try
        {
            while (!standIn.controllers.All(c => c.Running()))
            {
                if (standIn.tasks.FirstOrDefault(t => t.IsCompleted) is { } ended)
                {
                    await ended; // a controller that ended before it synced: its error
                    throw new InvalidOperationException("a stand-in controller stopped before its caches synced");
                }

                await Task.Delay(20, cancellationToken);
            }
        }
        catch
        {
            await standIn.DisposeAsync();
            throw;
        }

        return standIn;
    }

    private void Add<TPrimary>(Func<CacheReader, KubernetesObjectClient, StandInController> make, string fieldManager, SimulationOptions options, ILoggerFactory loggers)
        where TPrimary : class, IKubernetesObject<V1ObjectMeta>
    {
        var cache = new CacheReader();
        var controller = make(cache, new KubernetesObjectClient(kubernetes, fieldManager: fieldManager));
        var manager = new ControllerManager<TPrimary>(
            target => new KubernetesListWatch(kubernetes, target),
            controller,
            cache,
            new ControllerManagerOptions
            {
                Name = controller.Name,
                ResyncPeriod = TimeSpan.FromMinutes(1),
                Controller = new ControllerOptions { Workers = 2, ShutdownTimeout = TimeSpan.FromSeconds(5) },
            },
            controller.Watches,
            options.Time,
            loggers);
        controllers.Add((controller.Name, manager, () => manager.IsRunning));
        tasks.Add(Task.Run(() => manager.RunAsync(stopping.Token), CancellationToken.None));
    }

    /// <summary>Stops every controller (in-flight reconciles finish first) and closes their watches.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
        kubernetes.Dispose();
    }
}
