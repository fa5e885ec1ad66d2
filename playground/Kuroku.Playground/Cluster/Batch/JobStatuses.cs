using k8s.Models;

namespace Kuroku.Playground.Cluster.Batch;

/// <summary>
/// The Job controller's statuses (pure), in the forms kube-apiserver accepts (its Job status rules): a startTime
/// set once; SuccessCriteriaMet with Complete, or FailureTarget with Failed, and then no active pod; a
/// completionTime only with Complete and not before the startTime; counters that never go down.
/// </summary>
public static class JobStatuses
{
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string DeadlineExceeded = "DeadlineExceeded";

    public static bool IsTrue(V1Job job, string type) =>
        job?.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    /// <summary>Complete or Failed: the controller leaves it alone (but for its time to live).</summary>
    public static bool IsFinished(V1Job job) => IsTrue(job, "Complete") || IsTrue(job, "Failed");

    /// <summary>When it finished: its completionTime, or when it was marked Failed.</summary>
    public static DateTime? FinishedAt(V1Job job) =>
        job?.Status?.CompletionTime
        ?? job?.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.LastTransitionTime;

    /// <summary>While pods run: the counts of active, ready, succeeded and failed pods.</summary>
    public static V1JobStatus Running(V1Job job, DateTime start, int active, int ready, int succeeded, int failed)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new V1JobStatus
        {
            StartTime = start,
            Active = NullIfZero(active),
            Ready = ready,
            Succeeded = Counter(job.Status?.Succeeded, succeeded),
            Failed = Counter(job.Status?.Failed, failed),
            Terminating = job.Status?.Terminating is null ? null : 0,
            UncountedTerminatedPods = new V1UncountedTerminatedPods(),
            Conditions = job.Status?.Conditions,
        };
    }

    /// <summary>Every completion reached: SuccessCriteriaMet and Complete, with the completionTime.</summary>
    public static V1JobStatus Complete(V1Job job, DateTime start, DateTime now, int succeeded, int failed)
    {
        var status = Running(job, start, 0, 0, succeeded, failed);
        var at = now < start ? start : now;
        status.CompletionTime = at;
        status.Conditions = With(job, at,
            ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
            ("Complete", "CompletionsReached", "Reached expected number of succeeded pods"));
        return status;
    }

    /// <summary>Given up (<see cref="BackoffLimitExceeded"/>, <see cref="DeadlineExceeded"/>): FailureTarget and Failed.</summary>
    public static V1JobStatus Failed(V1Job job, DateTime start, DateTime now, string reason, int succeeded, int failed)
    {
        var status = Running(job, start, 0, 0, succeeded, failed);
        var message = reason == DeadlineExceeded
            ? "Job was active longer than specified deadline"
            : "Job has reached the specified backoff limit";
        status.Conditions = With(job, now, ("FailureTarget", reason, message), ("Failed", reason, message));
        return status;
    }

    private static List<V1JobCondition> With(V1Job job, DateTime now, params (string Type, string Reason, string Message)[] added)
    {
        var conditions = (job.Status?.Conditions ?? []).Where(c => !added.Any(a => a.Type == c.Type)).ToList();
        conditions.AddRange(added.Select(a => new V1JobCondition
        {
            Type = a.Type,
            Status = "True",
            Reason = a.Reason,
            Message = a.Message,
            LastProbeTime = now,
            LastTransitionTime = now,
        }));
        return conditions;
    }

    private static int? Counter(int? before, int counted) => NullIfZero(Math.Max(before ?? 0, counted));

    private static int? NullIfZero(int value) => value == 0 ? null : value;
}
