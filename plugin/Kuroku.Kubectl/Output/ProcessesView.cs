using System.Globalization;
using System.Text;
using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Kubectl.Output;

/// <summary>
/// `kubectl kuroku ps`: each process's desired, ready and up-to-date replicas, size, command, autoscaling; then
/// the scheduled processes (schedule, time zone, last run); then the one-off processes running (run.N).
/// </summary>
public static class ProcessesView
{
    public static string Render(WebApp app) => Render(app, [], [], DateTimeOffset.UnixEpoch);

    /// <param name="app">The WebApp.</param>
    /// <param name="cronJobs">The CronJobs of its scheduled processes (for their last run).</param>
    /// <param name="runs">The pods of its one-off processes.</param>
    /// <param name="now">For ages.</param>
    public static string Render(WebApp app, IReadOnlyList<V1CronJob> cronJobs, IReadOnlyList<V1Pod> runs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(cronJobs);
        ArgumentNullException.ThrowIfNull(runs);
        var scheduled = OrderedNames(app.Spec.Processes.Where(p => p.Value.Schedule is not null).Select(p => p.Key)).ToList();
        var running = OrderedNames(app.Spec.Processes.Where(p => p.Value.Schedule is null).Select(p => p.Key)).ToList();
        var sections = new List<string>();
        if (running.Count > 0 || scheduled.Count == 0)
        {
            sections.Add(LongRunning(app, running));
        }

        if (scheduled.Count > 0)
        {
            sections.Add(TextTable.Render(["SCHEDULED", "SCHEDULE", "TIMEZONE", "SIZE", "COMMAND", "LAST RUN"], scheduled.Select(name =>
            {
                var spec = app.Spec.Processes[name];
                var cronJob = cronJobs.FirstOrDefault(c => c.Metadata.Labels?.TryGetValue("app.kubernetes.io/component", out var p) == true && p == name);
                var last = cronJob?.Status?.LastScheduleTime;
                return (IReadOnlyList<string>)
                [
                    name,
                    (spec.Replicas ?? Defaults.Replicas) == 0 ? spec.Schedule + " (suspended)" : spec.Schedule!,
                    spec.TimeZone ?? "-",
                    spec.Size ?? Defaults.Size,
                    Command(spec.Command, spec.Args),
                    last is null ? "-" : Age.Of(last, now) + " ago",
                ];
            })));
        }

        if (runs.Count > 0)
        {
            sections.Add(TextTable.Render(["ONE-OFF", "STATUS", "AGE", "COMMAND"], runs
                .OrderBy(p => int.TryParse(RunNumber(p), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .Select(p =>
                {
                    var container = p.Spec?.Containers?.FirstOrDefault();
                    return (IReadOnlyList<string>)
                    [
                        "run." + RunNumber(p),
                        State(p),
                        Age.Of(p.Metadata.CreationTimestamp, now),
                        Command(container?.Command, container?.Args),
                    ];
                })));
        }

        return string.Join("\n", sections);
    }

    private static string? RunNumber(V1Pod pod) =>
        pod.Metadata.Labels is { } labels && labels.TryGetValue(Runs.OneOff.RunLabel, out var n) ? n : null;

    /// <summary>What a one-off pod is doing, as kubectl's STATUS column says it: a waiting or terminated reason, else its phase.</summary>
    private static string State(V1Pod pod)
    {
        var state = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State;
        return state?.Waiting?.Reason ?? state?.Terminated?.Reason ?? pod.Status?.Phase ?? "Pending";
    }

    private static string LongRunning(WebApp app, IReadOnlyList<string> names)
    {
        var rows = names.Select(name =>
        {
            var spec = app.Spec.Processes[name];
            ProcessStatus? status = null;
            app.Status?.Processes?.TryGetValue(name, out status);

            // Desired: the spec's count, or the autoscaler's (status) while autoscaling owns it.
            var desired = spec.Autoscaling is not null && status is not null
                ? status.Replicas
                : spec.Replicas ?? Defaults.Replicas;
            return (IReadOnlyList<string>)
            [
                name,
                I(desired),
                status is null ? "-" : $"{I(status.ReadyReplicas)}/{I(desired)}",
                status is null ? "-" : I(status.UpdatedReplicas),
                spec.Size ?? Defaults.Size,
                Command(spec.Command, spec.Args),
                Autoscaling(spec.Autoscaling),
            ];
        });
        return TextTable.Render(["PROCESS", "REPLICAS", "READY", "UP-TO-DATE", "SIZE", "COMMAND", "AUTOSCALING"], rows);
    }

    /// <summary>web first (it gets HTTP), then the rest in ordinal order.</summary>
    public static IEnumerable<string> OrderedNames(IEnumerable<string> names) =>
        names.OrderBy(n => n == WebAppApi.WebProcess ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal);

    public static string Autoscaling(AutoscalingSpec? a) =>
        a is null
            ? "-"
            : $"{I(a.MinReplicas ?? Defaults.AutoscalingMinReplicas)}-{I(a.MaxReplicas)} at {I(a.TargetCPUUtilizationPercentage ?? Defaults.TargetCpuUtilizationPercentage)}% cpu";

    /// <summary>The command line a process runs, shell-quoted where a word needs it.</summary>
    public static string Command(IList<string>? command, IList<string>? args)
    {
        if (command is null && args is null)
        {
            return "(image default)";
        }

        var words = new List<string>();
        if (command is null)
        {
            words.Add("(image entrypoint)");
        }
        else
        {
            words.AddRange(command.Select(Quote));
        }

        words.AddRange((args ?? []).Select(Quote));
        return string.Join(' ', words);
    }

    private static string Quote(string word)
    {
        if (word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\'))
        {
            return word;
        }

        var b = new StringBuilder("\"");
        foreach (var c in word)
        {
            if (c is '"' or '\\')
            {
                b.Append('\\');
            }

            b.Append(c);
        }

        return b.Append('"').ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
