using Cronos;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Batch;

/// <summary>
/// Stands in for kube-controller-manager's CronJob controller: on each scheduled time (<see cref="CronJobs.Schedule"/>)
/// creates the run's Job from the job template, honours suspend and the concurrency policy (Allow, Forbid,
/// Replace), keeps the history limits, and writes status (active Jobs, last schedule, last success).
/// </summary>
public sealed class CronJobController(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers)
    : StandInController(cache, client, options, loggers)
{
    public override string Name => "cronjob-controller";

    public override IReadOnlyList<WatchRegistration> Watches { get; } =
        [Runtime.Controller.Watches.For<V1CronJob>(), Runtime.Controller.Watches.Owns<V1Job, V1CronJob>()];

    protected override async Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cronJob = Cache.Get<V1CronJob>(key.Namespace, key.Name);
        if (cronJob is null || cronJob.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var ns = key.Namespace!;
        var uid = cronJob.Metadata.Uid;
        var jobs = Cache.ListOwnedBy<V1Job>(uid).Where(j => Owners.IsControlledBy(j.Metadata, uid)).ToList();
        foreach (var old in CronJobs.BeyondHistory(cronJob, jobs))
        {
            await Client.DeleteAsync<V1Job>(ns, old.Metadata.Name, old.Metadata.Uid, cancellationToken);
            jobs.Remove(old);
        }

        var active = jobs.Where(j => !JobStatuses.IsFinished(j)).ToList();
        var status = new V1CronJobStatus
        {
            LastScheduleTime = cronJob.Status?.LastScheduleTime,
            LastSuccessfulTime = jobs.Where(j => JobStatuses.IsTrue(j, "Complete")).Select(JobStatuses.FinishedAt).Append(cronJob.Status?.LastSuccessfulTime).Max(),
        };

        DateTime? next = null;
        if (cronJob.Spec.Suspend != true)
        {
            DateTime? due;
            try
            {
                (due, next) = CronJobs.Schedule(cronJob, Now);
            }
            catch (Exception e) when (e is CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Logger.LogWarning("cronjob {Namespace}/{Name}: cannot read its schedule \"{Schedule}\" (time zone \"{Zone}\"): {Message}",
                    ns, key.Name, cronJob.Spec.Schedule, cronJob.Spec.TimeZone, e.Message);
                return ReconcileResult.Done;
            }

            if (due is { } scheduled)
            {
                var policy = cronJob.Spec.ConcurrencyPolicy ?? "Allow";
                if (policy == "Forbid" && active.Count > 0)
                {
                    // As the real controller: the run waits (lastScheduleTime unchanged) and starts when the last one ends.
                    Logger.LogDebug("cronjob {Namespace}/{Name}: the run of {Scheduled:u} waits for the last one (concurrencyPolicy Forbid)", ns, key.Name, scheduled);
                }
                else
                {
                    if (policy == "Replace")
                    {
                        foreach (var running in active)
                        {
                            await Client.DeleteAsync<V1Job>(ns, running.Metadata.Name, running.Metadata.Uid, cancellationToken);
                        }

                        active.Clear();
                    }

                    var job = await CreateOrGetAsync(CronJobs.JobFor(cronJob, scheduled), cancellationToken);
                    active.Add(job);
                    status.LastScheduleTime = scheduled;
                    Logger.LogInformation("cronjob {Namespace}/{Name}: created job {Job}", ns, key.Name, job.Metadata.Name);
                }
            }
        }

        status.Active = active.Count == 0 ? null : [.. active.OrderBy(j => j.Metadata.Name, StringComparer.Ordinal).Select(j => new V1ObjectReference
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Name = j.Metadata.Name,
            NamespaceProperty = ns,
            Uid = j.Metadata.Uid,
        })];
        if (KubernetesJson.Serialize(status) != KubernetesJson.Serialize(cronJob.Status))
        {
            cronJob.Status = status;
            await Client.ReplaceStatusAsync(cronJob, cancellationToken);
        }

        return next is { } at ? At(at) : ReconcileResult.Done;
    }

    private async Task<V1Job> CreateOrGetAsync(V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.CreateAsync(job, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            // Created by an earlier pass whose watch event has not arrived yet.
            var existing = await Client.GetAsync<V1Job>(job.Metadata.NamespaceProperty, job.Metadata.Name, cancellationToken);
            if (existing is null)
            {
                throw;
            }

            return existing;
        }
    }
}
