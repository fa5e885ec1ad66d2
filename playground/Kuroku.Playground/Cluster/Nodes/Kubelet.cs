using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Nodes;

/// <summary>
/// Stands in for the scheduler and the kubelet of one node that runs every pod: a pod is bound to the node
/// (spec.nodeName <see cref="Pods.NodeName"/>) and starts <see cref="SimulationOptions.PodStartDelay"/>
/// after it was created (status Running, every container running and ready); a pod that runs to completion
/// (restartPolicy Never or OnFailure, a Job's) exits <see cref="SimulationOptions.JobRunTime"/> after it started,
/// with 0, or 1 when <see cref="FailSwitch"/> says so. A pod whose container keeps stdin open for one attach
/// (kubectl kuroku run, kubectl run -i) runs until its attached process (the API server's stand-in) ends.
/// Other pods run until they are deleted. Nothing is pulled
/// or run; <see cref="IContainerOutput"/> hears of each start and exit.
/// </summary>
public sealed class Kubelet(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers)
    : StandInController(cache, client, options, loggers)
{
    private readonly FailSwitch failSwitch = new(client);

    public override string Name => "kubelet";

    public override IReadOnlyList<WatchRegistration> Watches { get; } = [Runtime.Controller.Watches.For<V1Pod>()];

    protected override async Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pod = Cache.Get<V1Pod>(key.Namespace, key.Name);
        if (pod is null || pod.Metadata.DeletionTimestamp is not null || Pods.IsFinished(pod))
        {
            return ReconcileResult.Done;
        }

        if (!Pods.IsStarted(pod))
        {
            var startAt = (pod.Metadata.CreationTimestamp ?? Now) + Options.PodStartDelay;
            if (Now < startAt)
            {
                return At(startAt);
            }

            if (string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                // The scheduler's binding, simulated: the pod is on the one node (logs and attach need one).
                await Client.PatchAsync<V1Pod>(key.Namespace ?? "", key.Name, new { spec = new { nodeName = Pods.NodeName } }, cancellationToken);
                pod = await Client.GetAsync<V1Pod>(key.Namespace, key.Name, cancellationToken);
                if (pod is null)
                {
                    return ReconcileResult.Done;
                }
            }

            pod.Status = Pods.RunningStatus(pod, Now);
            pod = await Client.ReplaceStatusAsync(pod, cancellationToken);
            Logger.LogInformation("pod {Namespace}/{Name} is running", key.Namespace, key.Name);
            foreach (var container in pod.Spec.Containers)
            {
                await Options.Output.ContainerStartedAsync(pod, container, cancellationToken);
            }
        }

        if (!Pods.RunsToCompletion(pod) || Pods.IsAttached(pod))
        {
            // Runs until deleted; an attached one (kubectl kuroku run) until its attached process ends.
            return ReconcileResult.Done;
        }

        var exitAt = (pod.Status?.StartTime ?? Now) + Options.JobRunTime;
        if (Now < exitAt)
        {
            return At(exitAt);
        }

        var exitCode = await failSwitch.FailsAsync(pod, cancellationToken) ? 1 : 0;
        pod.Status = Pods.TerminatedStatus(pod, Now, exitCode);
        pod = await Client.ReplaceStatusAsync(pod, cancellationToken);
        Logger.LogInformation("pod {Namespace}/{Name} exited with {ExitCode}", key.Namespace, key.Name, exitCode);
        foreach (var container in pod.Spec.Containers)
        {
            await Options.Output.ContainerExitedAsync(pod, container, exitCode, cancellationToken);
        }

        return ReconcileResult.Done;
    }
}
