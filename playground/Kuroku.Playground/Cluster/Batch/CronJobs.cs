using System.Globalization;
using Cronos;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Batch;

/// <summary>The CronJob controller's decisions (pure).</summary>
public static class CronJobs
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /// <summary>Missed runs looked at, at most (the real controller gives up past 100 too).</summary>
    private const int MaxMissed = 100;

    /// <summary>
    /// The latest scheduled time in (last schedule or creation, now] — only the latest missed run is started, as
    /// the real controller does — and the next one after now. spec.timeZone names the schedule's zone (UTC when
    /// absent); startingDeadlineSeconds drops the runs older than it. Throws <see cref="CronFormatException"/>
    /// for a schedule Cronos cannot read (a standard five-field one or @hourly, @daily...).
    /// </summary>
    public static (DateTime? Due, DateTime? Next) Schedule(V1CronJob cronJob, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        var expression = CronExpression.Parse(cronJob.Spec.Schedule.Trim(), CronFormat.Standard);
        var zone = string.IsNullOrEmpty(cronJob.Spec.TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(cronJob.Spec.TimeZone);
        now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var earliest = DateTime.SpecifyKind(cronJob.Status?.LastScheduleTime ?? cronJob.Metadata.CreationTimestamp ?? now, DateTimeKind.Utc);
        if (cronJob.Spec.StartingDeadlineSeconds is { } deadline && now.AddSeconds(-deadline) > earliest)
        {
            earliest = now.AddSeconds(-deadline);
        }

        var due = earliest < now
            ? expression.GetOccurrences(earliest, now, zone, fromInclusive: false, toInclusive: true).TakeLast(MaxMissed).Cast<DateTime?>().LastOrDefault()
            : null;
        return (due, expression.GetNextOccurrence(now, zone));
    }

    /// <summary>The Job of the run scheduled at <paramref name="scheduled"/>: &lt;cronjob&gt;-&lt;minutes since the epoch&gt;.</summary>
    public static string JobName(V1CronJob cronJob, DateTime scheduled)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        var minutes = (long)(DateTime.SpecifyKind(scheduled, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMinutes;
        return $"{cronJob.Metadata.Name}-{minutes.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The Job the controller creates for a run: the job template, owned by the CronJob.</summary>
    public static V1Job JobFor(V1CronJob cronJob, DateTime scheduled)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        var template = KubernetesJson.Deserialize<V1JobTemplateSpec>(KubernetesJson.Serialize(cronJob.Spec.JobTemplate));
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ScheduledTimestampAnnotation] = DateTime.SpecifyKind(scheduled, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = JobName(cronJob, scheduled),
                NamespaceProperty = cronJob.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = annotations,
                OwnerReferences = [Owners.ControllerReference(cronJob)],
            },
            Spec = template.Spec,
        };
    }

    /// <summary>The finished Jobs beyond the history limits (3 successful, 1 failed by default), oldest first.</summary>
    public static IReadOnlyList<V1Job> BeyondHistory(V1CronJob cronJob, IReadOnlyList<V1Job> jobs)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(jobs);
        IEnumerable<V1Job> Beyond(string condition, int limit) => jobs
            .Where(j => JobStatuses.IsTrue(j, condition))
            .OrderByDescending(j => JobStatuses.FinishedAt(j) ?? DateTime.MinValue)
            .Skip(Math.Max(limit, 0));
        return [.. Beyond("Complete", cronJob.Spec.SuccessfulJobsHistoryLimit ?? 3).Concat(Beyond("Failed", cronJob.Spec.FailedJobsHistoryLimit ?? 1))];
    }
}
