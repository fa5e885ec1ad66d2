using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.Changes;

/// <summary>
/// `restart APP [PROCESS]` (heroku ps:restart): one merge patch of spec.processes.&lt;p&gt;.restartedAt for the
/// process named, or every process that runs all the time. The operator copies it into the pod template, so
/// the pods roll as in any rollout (web with zero downtime) and no release is made. Scheduled processes have
/// nothing running to restart.
/// </summary>
public static class RestartChange
{
    public static PlannedChange Plan(WebApp app, string? process, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        var name = app.Metadata.Name;
        var processes = app.Spec.Processes;
        IReadOnlyList<string> targets;
        if (process is not null)
        {
            if (!processes.TryGetValue(process, out var spec))
            {
                throw new CommandException(
                    $"{name} has no process \"{process}\"; its processes: {string.Join(", ", ProcessesView.OrderedNames(processes.Keys))}");
            }

            if (spec.Schedule is not null)
            {
                throw new CommandException(
                    $"{process} is a scheduled process of {name} (spec.processes.{process}.schedule: {spec.Schedule}): every run starts afresh, "
                    + "there is nothing running to restart");
            }

            targets = [process];
        }
        else
        {
            targets = [.. ProcessesView.OrderedNames(processes.Where(p => p.Value.Schedule is null).Select(p => p.Key))];
            if (targets.Count == 0)
            {
                throw new CommandException($"{name} has only scheduled processes: there is nothing running to restart");
            }
        }

        // A second, third... restart within the same second still changes the value.
        var at = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var latest = targets.Select(t => processes[t].RestartedAt).Where(t => t is not null).Select(t => Utc(t!.Value)).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        if (latest >= at)
        {
            at = latest.AddTicks(-(latest.UtcTicks % TimeSpan.TicksPerSecond)).AddSeconds(1);
        }

        var stamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = new JsonObject();
        foreach (var target in targets)
        {
            patch[target] = new JsonObject { ["restartedAt"] = stamp };
        }

        var body = new JsonObject { ["spec"] = new JsonObject { ["processes"] = patch } };
        var what = process is null ? $"all processes of {name} ({ConfigChange.Names(targets)})" : $"{process} of {name}";
        return new PlannedChange(
            WebAppPatch.Merge(body),
            $"Restarting {what}",
            $"{(targets.Count == 1 ? "its" : "their")} pods roll one by one{(targets.Contains(WebAppApi.WebProcess) ? " (web with zero downtime)" : "")}; no new release",
            [$"restartedAt: {stamp}"]);
    }

    private static DateTimeOffset Utc(DateTime at) =>
        new(DateTime.SpecifyKind(at, at.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : at.Kind).ToUniversalTime());
}
