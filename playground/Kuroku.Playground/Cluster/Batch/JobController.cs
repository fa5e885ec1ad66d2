using Kuroku.Playground.Cluster.Nodes;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Batch;

/// <summary>
/// Stands in for kube-controller-manager's Job controller (and its TTL-after-finished controller): runs pods from
/// the template (named &lt;job&gt;-&lt;random&gt;, owned by the Job) until spec.completions of them succeeded
/// (Complete), or more than spec.backoffLimit failed (Failed, BackoffLimitExceeded; a failed pod is replaced
/// at once, without the real controller's growing delay), or activeDeadlineSeconds passed (Failed,
/// DeadlineExceeded); writes the status as the real one does; deletes a finished Job ttlSecondsAfterFinished later.
/// </summary>
public sealed class JobController(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers)
    : StandInController(cache, client, options, loggers)
{
    private readonly Expectations expectations = new(options.Time);

    public override string Name => "job-controller";

    public override IReadOnlyList<WatchRegistration> Watches { get; } =
        [Runtime.Controller.Watches.For<V1Job>(), Runtime.Controller.Watches.Owns<V1Pod, V1Job>()];

    protected override async Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var job = Cache.Get<V1Job>(key.Namespace, key.Name);
        if (job is null || job.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var ns = key.Namespace!;
        if (JobStatuses.IsFinished(job))
        {
            return await ExpireAsync(job, cancellationToken);
        }

        if (job.Spec.Suspend == true)
        {
            return ReconcileResult.Done;
        }

        var uid = job.Metadata.Uid;
        var pods = Cache.ListOwnedBy<V1Pod>(uid).Where(p => Owners.IsControlledBy(p.Metadata, uid)).ToList();
        if (!expectations.Satisfied(uid, pods.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal)))
        {
            return ReconcileResult.After(TimeSpan.FromMilliseconds(200));
        }

        var active = pods.Where(Pods.IsActive).ToList();
        var succeeded = pods.Count(p => Pods.Phase(p) == Pods.Succeeded);
        var failed = pods.Count(p => Pods.Phase(p) == Pods.Failed);
        var start = job.Status?.StartTime ?? Now;
        var completions = job.Spec.Completions ?? 1;
        V1JobStatus status;
        DateTime? due = null;
        if (Math.Max(succeeded, job.Status?.Succeeded ?? 0) >= completions)
        {
            await DeleteAsync(uid, active, cancellationToken);
            status = JobStatuses.Complete(job, start, Now, succeeded, failed);
            Logger.LogInformation("job {Namespace}/{Name} completed", ns, key.Name);
        }
        else if (job.Spec.ActiveDeadlineSeconds is { } deadline && Now >= start.AddSeconds(deadline))
        {
            await DeleteAsync(uid, active, cancellationToken);
            status = JobStatuses.Failed(job, start, Now, JobStatuses.DeadlineExceeded, succeeded, failed);
            Logger.LogWarning("job {Namespace}/{Name} failed: active longer than {Deadline}s", ns, key.Name, deadline);
        }
        else if (Math.Max(failed, job.Status?.Failed ?? 0) > (job.Spec.BackoffLimit ?? 6))
        {
            await DeleteAsync(uid, active, cancellationToken);
            status = JobStatuses.Failed(job, start, Now, JobStatuses.BackoffLimitExceeded, succeeded, failed);
            Logger.LogWarning("job {Namespace}/{Name} failed: backoff limit reached ({Failed} failed pods)", ns, key.Name, failed);
        }
        else
        {
            var wanted = Math.Min(job.Spec.Parallelism ?? 1, completions - succeeded);
            for (var i = active.Count; i < wanted; i++)
            {
                var created = await Client.CreateAsync(Pods.FromTemplate(job.Spec.Template, Owners.ControllerReference(job), ns, job.Metadata.Name + "-"), cancellationToken);
                expectations.Created(uid, created.Metadata.Name);
                active.Add(created);
                Logger.LogInformation("job {Namespace}/{Name}: created pod {Pod}", ns, key.Name, created.Metadata.Name);
            }

            status = JobStatuses.Running(job, start, active.Count, active.Count(Pods.IsReady), succeeded, failed);
            due = job.Spec.ActiveDeadlineSeconds is { } d ? start.AddSeconds(d) : null;
        }

        if (KubernetesJson.Serialize(status) != KubernetesJson.Serialize(job.Status))
        {
            job.Status = status;
            await Client.ReplaceStatusAsync(job, cancellationToken);
        }

        return due is { } at ? At(at) : ReconcileResult.Done;
    }

    private async Task DeleteAsync(string uid, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        foreach (var pod in pods)
        {
            expectations.Deleted(uid, pod.Metadata.Name);
            await Client.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, cancellationToken);
        }
    }

    /// <summary>The TTL-after-finished controller: a finished Job with ttlSecondsAfterFinished is deleted (with its pods) that long after.</summary>
    private async Task<ReconcileResult> ExpireAsync(V1Job job, CancellationToken cancellationToken)
    {
        if (job.Spec.TtlSecondsAfterFinished is not { } ttl || JobStatuses.FinishedAt(job) is not { } finished)
        {
            return ReconcileResult.Done;
        }

        var due = finished.AddSeconds(ttl);
        if (Now < due)
        {
            return At(due);
        }

        await Client.DeleteAsync<V1Job>(job.Metadata.NamespaceProperty, job.Metadata.Name, job.Metadata.Uid, cancellationToken);
        Logger.LogInformation("job {Namespace}/{Name} deleted {Ttl}s after it finished", job.Metadata.NamespaceProperty, job.Metadata.Name, ttl);
        return ReconcileResult.Done;
    }
}
