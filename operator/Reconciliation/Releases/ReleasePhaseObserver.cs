using System.Globalization;
using Kuroku.Api.Releases;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>What the release phase Job says about its release.</summary>
/// <param name="Phase">One of <see cref="ReleasePhases"/>.</param>
/// <param name="Message">Why it failed, when it did.</param>
/// <param name="RecheckAfter">While running: when the timeout falls due, so the reconcile comes back then.</param>
public sealed record ReleasePhaseState(string Phase, string? Message, TimeSpan? RecheckAfter);

/// <summary>Pure: reads a release Job's status the way the cluster's Job controller writes it.</summary>
public static class ReleasePhaseObserver
{
    /// <param name="job">The release Job, or null before it exists.</param>
    /// <param name="timeoutSeconds">spec.release.timeoutSeconds.</param>
    /// <param name="releasedAt">When the release was made: the timeout's start when the Job says nothing.</param>
    /// <param name="now">The clock.</param>
    public static ReleasePhaseState Observe(V1Job? job, long timeoutSeconds, DateTime releasedAt, DateTime now)
    {
        if (job is null)
        {
            return new ReleasePhaseState(ReleasePhases.Pending, null, null);
        }

        var status = job.Status;
        var conditions = status?.Conditions ?? [];
        if ((status?.Succeeded ?? 0) > 0 || conditions.Any(c => c.Type == "Complete" && c.Status == "True"))
        {
            return new ReleasePhaseState(ReleasePhases.Succeeded, null, null);
        }

        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        if (failed is not null)
        {
            var message = failed.Reason switch
            {
                "DeadlineExceeded" => string.Create(CultureInfo.InvariantCulture,
                    $"the release command did not finish within {timeoutSeconds}s (spec.release.timeoutSeconds)"),
                "BackoffLimitExceeded" => $"the release command failed; see `kubectl logs job/{job.Metadata.Name}`",
                _ => $"the release Job failed: {failed.Reason}: {failed.Message}",
            };
            return new ReleasePhaseState(ReleasePhases.Failed, message, null);
        }

        // The Job's activeDeadlineSeconds enforces the timeout in the cluster; this is the backstop
        // for a Job that never started (no node, image never pulled) or a controller that lags.
        var started = status?.StartTime ?? job.Metadata.CreationTimestamp ?? releasedAt;
        var due = started.AddSeconds(timeoutSeconds);
        if (now >= due)
        {
            return new ReleasePhaseState(ReleasePhases.Failed, string.Create(CultureInfo.InvariantCulture,
                $"the release command did not finish within {timeoutSeconds}s (spec.release.timeoutSeconds)"), null);
        }

        return new ReleasePhaseState(ReleasePhases.Running, null, due - now);
    }
}
