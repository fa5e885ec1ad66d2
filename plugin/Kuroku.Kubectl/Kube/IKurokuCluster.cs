using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;
using Kuroku.Kubectl.Changes;
using k8s.Models;

namespace Kuroku.Kubectl.Kube;

/// <summary>What the plugin reads and writes in a cluster; the only I/O the commands do.</summary>
public interface IKurokuCluster
{
    /// <summary>The namespace commands use when -n is not given: the context's, else "default".</summary>
    string DefaultNamespace { get; }

    /// <summary>The WebApp, or null when there is none of that name.</summary>
    Task<WebApp?> GetWebAppAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Patches the WebApp. Throws <see cref="KubernetesApiException"/> (409 conflict, 422 invalid, ...).</summary>
    Task<WebApp> PatchWebAppAsync(string ns, string name, WebAppPatch patch, CancellationToken cancellationToken);

    /// <summary>The ControllerRevision, or null when there is none of that name.</summary>
    Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The ControllerRevisions with that label selector.</summary>
    Task<IReadOnlyList<V1ControllerRevision>> ListRevisionsAsync(string ns, string labelSelector, CancellationToken cancellationToken);

    /// <summary>The pods with that label selector, and the list's resourceVersion to watch from.</summary>
    Task<PodList> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken);

    /// <summary>
    /// The changes to the pods with that label selector after <paramref name="resourceVersion"/>, until the
    /// server ends the watch (then list again) or <paramref name="cancellationToken"/> stops it.
    /// </summary>
    IAsyncEnumerable<PodEvent> WatchPodsAsync(string ns, string labelSelector, string resourceVersion, CancellationToken cancellationToken);

    /// <summary>The pod, or null when there is none of that name.</summary>
    Task<V1Pod?> GetPodAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Creates the pod. Throws <see cref="KubernetesApiException"/> (409 when the name is taken, 403, 422...).</summary>
    Task<V1Pod> CreatePodAsync(string ns, V1Pod pod, CancellationToken cancellationToken);

    /// <summary>Deletes the pod at once (no grace period); nothing when it is gone already.</summary>
    Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Creates the Job. Throws <see cref="KubernetesApiException"/> (409 when the name is taken...).</summary>
    Task<V1Job> CreateJobAsync(string ns, V1Job job, CancellationToken cancellationToken);

    /// <summary>The Jobs with that label selector.</summary>
    Task<IReadOnlyList<V1Job>> ListJobsAsync(string ns, string labelSelector, CancellationToken cancellationToken);

    /// <summary>The CronJobs with that label selector.</summary>
    Task<IReadOnlyList<V1CronJob>> ListCronJobsAsync(string ns, string labelSelector, CancellationToken cancellationToken);

    /// <summary>
    /// The lines of one container's log, each starting with the time it was written (timestamps=true), as
    /// they come: to the end of the log, or, with <see cref="LogRequest.Follow"/>, until the container stops.
    /// </summary>
    IAsyncEnumerable<string> ReadLogAsync(string ns, string pod, string container, LogRequest request, CancellationToken cancellationToken);

    /// <summary>Attaches to a running container (pods/attach, WebSocket): its stdin, stdout, stderr and status channels.</summary>
    Task<IChannelConnection> AttachAsync(string ns, string pod, string container, bool tty, CancellationToken cancellationToken);
}

/// <summary>A LIST of pods: the items and the resourceVersion they are at.</summary>
public sealed record PodList(IReadOnlyList<V1Pod> Items, string ResourceVersion);

/// <summary>One change seen by a watch: ADDED, MODIFIED or DELETED, and the pod.</summary>
public sealed record PodEvent(string Type, V1Pod Pod);

/// <summary>What part of a log to read.</summary>
/// <param name="Follow">Keep reading new lines until the container stops.</param>
/// <param name="TailLines">Only the last lines (null: all).</param>
/// <param name="SinceSeconds">Only the lines written in the last seconds (null: all).</param>
public sealed record LogRequest(bool Follow = false, long? TailLines = null, long? SinceSeconds = null);
