using System.Globalization;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Status;

/// <summary>What the reconciler saw and did in one pass: the input of the pure status computation.</summary>
/// <param name="ValidationErrors">"path: message" lines when the spec is invalid, else empty.</param>
/// <param name="Deployments">The live Deployment of each process (after this pass's writes), or absent.</param>
/// <param name="Problems">Children that could not be applied (for example a namesake owned by someone else).</param>
/// <param name="WebSelector">The label selector of the web pods, for the scale subresource.</param>
/// <param name="Releases">The release history after this pass (empty before the first release).</param>
/// <param name="ConfigMissing">Referenced Secrets/ConfigMaps (or keys) that do not exist, with their field paths.</param>
public sealed record Observation(
    IReadOnlyList<string> ValidationErrors,
    IReadOnlyDictionary<string, V1Deployment> Deployments,
    IReadOnlyList<string> Problems,
    string? WebSelector,
    IReadOnlyList<Release>? Releases = null,
    IReadOnlyList<string>? ConfigMissing = null);

/// <summary>Pure: (WebApp, observation, clock) → the status the WebApp should have.</summary>
public static class StatusBuilder
{
    public static WebAppStatus Build(WebApp app, OperatorOptions options, Observation seen, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seen);
        var previous = app.Status;
        var generation = app.Metadata.Generation;
        var history = seen.Releases ?? [];
        var latest = history.MaxBy(r => r.Version);
        var live = ReleasePlanner.Live(history);
        var status = new WebAppStatus
        {
            ObservedGeneration = generation,
            Release = history.Count > 0 ? live?.Version : previous?.Release,
            Releases = history.Count > 0 ? ReleaseRevisions.Summary(history) : previous?.Releases,
        };

        V1Condition Condition(string type, bool value, string reason, string message) =>
            MakeCondition(previous, type, value, reason, message, generation, now);

        if (seen.ValidationErrors.Count > 0)
        {
            // Leave the last good picture of the processes in place: nothing was touched.
            status.Url = previous?.Url;
            status.Selector = previous?.Selector;
            status.Processes = previous?.Processes;
            status.ProcessSummary = previous?.ProcessSummary;
            var message = string.Join("; ", seen.ValidationErrors);
            status.Conditions =
            [
                Condition(Conditions.Ready, false, Conditions.Reasons.InvalidSpec, message),
                Condition(Conditions.Progressing, false, Conditions.Reasons.InvalidSpec, "the spec is invalid; no child object was changed"),
                Condition(Conditions.Degraded, true, Conditions.Reasons.InvalidSpec, message),
            ];
            return status;
        }

        status.Url = Url(app, options);
        status.Selector = seen.WebSelector;
        var processes = new SortedDictionary<string, ProcessStatus>(ProcessOrder.Instance);
        var rolling = new List<string>();
        var stuck = new List<string>();
        foreach (var name in app.Spec.Processes.Keys.Order(ProcessOrder.Instance))
        {
            if (WebProcess.IsScheduled(app.Spec.Processes[name]))
            {
                // A CronJob has no replicas to be ready: it is summed up by its schedule below.
                continue;
            }

            seen.Deployments.TryGetValue(name, out var deployment);
            var desired = deployment?.Spec?.Replicas ?? 0;
            processes[name] = new ProcessStatus
            {
                Replicas = desired,
                ReadyReplicas = deployment?.Status?.ReadyReplicas ?? 0,
                UpdatedReplicas = deployment?.Status?.UpdatedReplicas ?? 0,
            };
            if (deployment is null || !RolledOut(deployment))
            {
                rolling.Add(name);
            }

            if (deployment?.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Status == "False"
                    && c.Reason == Conditions.Reasons.ProgressDeadlineExceeded) == true)
            {
                stuck.Add(name);
            }
        }

        status.Processes = processes;
        status.ProcessSummary = string.Join(", ", processes.Select(p =>
                string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value.ReadyReplicas}/{p.Value.Replicas}"))
            .Concat(WebProcess.Scheduled(app).Select(p => $"{p.Key} ({Schedule(p.Value)})")));

        var problem = Problem(seen, latest, live);
        if (problem is not null)
        {
            var (reason, message, degraded) = problem.Value;
            var progressing = reason == Conditions.Reasons.ReleasePhaseRunning || (rolling.Count > 0 && stuck.Count == 0);
            status.Conditions =
            [
                Condition(Conditions.Ready, false, reason, message),
                Condition(Conditions.Progressing, progressing,
                    progressing ? (reason == Conditions.Reasons.ReleasePhaseRunning ? reason : Conditions.Reasons.RollingOut) : Conditions.Reasons.Complete,
                    progressing ? message : "nothing is rolling out"),
                degraded
                    ? Condition(Conditions.Degraded, true, reason, message)
                    : Condition(Conditions.Degraded, false, Conditions.Reasons.AsExpected, "no problem found"),
            ];
            return status;
        }

        var ready = rolling.Count == 0;
        status.Conditions =
        [
            ready
                ? Condition(Conditions.Ready, true, Conditions.Reasons.AllProcessesReady, status.ProcessSummary)
                : Condition(Conditions.Ready, false, Conditions.Reasons.ProcessesNotReady, "waiting for " + string.Join(", ", rolling) + ": " + status.ProcessSummary),
            ready
                ? Condition(Conditions.Progressing, false, Conditions.Reasons.Complete, "every process runs the current release")
                : Condition(Conditions.Progressing, stuck.Count == 0, stuck.Count == 0 ? Conditions.Reasons.RollingOut : Conditions.Reasons.ProgressDeadlineExceeded, "rolling out " + string.Join(", ", rolling)),
            stuck.Count > 0
                ? Condition(Conditions.Degraded, true, Conditions.Reasons.ProgressDeadlineExceeded, "rollout stuck past its deadline: " + string.Join(", ", stuck))
                : Condition(Conditions.Degraded, false, Conditions.Reasons.AsExpected, "no problem found"),
        ];
        return status;
    }

    /// <summary>What keeps the app from being Ready other than its rollout, most pressing first; degraded or merely waiting.</summary>
    private static (string Reason, string Message, bool Degraded)? Problem(Observation seen, Release? latest, Release? live)
    {
        if (seen.Problems.Count > 0)
        {
            return (Conditions.Reasons.ChildConflict, string.Join("; ", seen.Problems), true);
        }

        if (seen.ConfigMissing is { Count: > 0 } missing)
        {
            return (Conditions.Reasons.ConfigMissing, "the config vars refer to what does not exist: " + string.Join("; ", missing), true);
        }

        var serving = live is null ? "no release is live yet" : $"v{live.Version} keeps serving";
        return latest?.Phase switch
        {
            ReleasePhases.Failed => (Conditions.Reasons.ReleaseFailed, $"release v{latest.Version} failed: {latest.Message}; {serving}", true),
            ReleasePhases.Pending or ReleasePhases.Running =>
                (Conditions.Reasons.ReleasePhaseRunning, $"the release phase of v{latest.Version} is running; {serving}", false),
            _ => null,
        };
    }

    /// <summary>How the summary shows a scheduled process: "*/10 * * * *", "0 3 * * * Europe/Paris", "..., suspended".</summary>
    public static string Schedule(ProcessSpec process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var schedule = process.TimeZone is null ? process.Schedule : $"{process.Schedule} {process.TimeZone}";
        return (process.Replicas ?? Defaults.Replicas) == 0 ? schedule + ", suspended" : schedule ?? "";
    }

    /// <summary>
    /// The app's URL: its first host (https with TLS), else its default-domain host, else its
    /// cluster-internal Service address when it has a web process.
    /// </summary>
    public static string? Url(WebApp app, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (!app.Spec.Processes.ContainsKey(WebAppApi.WebProcess))
        {
            return null;
        }

        var domains = app.Spec.Domains;
        if (domains?.Hosts is { Count: > 0 } hosts)
        {
            return (domains.Tls is null ? "http://" : "https://") + hosts[0];
        }

        return IngressBuilder.DefaultHost(app, options) is { } host
            ? $"http://{host}"
            : $"http://{app.Metadata.Name}.{app.Metadata.NamespaceProperty ?? "default"}.svc";
    }

    /// <summary>A Deployment has finished rolling out its current template, the way `kubectl rollout status` decides.</summary>
    public static bool RolledOut(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var s = deployment.Status;
        var desired = deployment.Spec?.Replicas ?? 1;
        return s is not null
               && (s.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0)
               && (s.UpdatedReplicas ?? 0) >= desired
               && (s.Replicas ?? 0) <= (s.UpdatedReplicas ?? 0)
               && (s.AvailableReplicas ?? 0) >= desired;
    }

    private static V1Condition MakeCondition(
        WebAppStatus? previous, string type, bool value, string reason, string message, long? generation, DateTime now)
    {
        var status = value ? "True" : "False";
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            // The transition time moves only when the status flips, as kstatus and Argo CD expect.
            LastTransitionTime = before is not null && before.Status == status && before.LastTransitionTime is { } t ? t : now,
        };
    }

    /// <summary>web first, then the other processes by name.</summary>
    private sealed class ProcessOrder : IComparer<string>
    {
        public static readonly ProcessOrder Instance = new();

        public int Compare(string? x, string? y) =>
            (x == WebAppApi.WebProcess, y == WebAppApi.WebProcess) switch
            {
                (true, true) => 0,
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x, y),
            };
    }
}
