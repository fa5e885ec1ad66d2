using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.Changes;

/// <summary>
/// `rollback APP vN`: ONE merge patch of the WebApp with release N's image, env, envFrom and process
/// commands, and the annotation kuroku.dev/rollback-to: "N". Replicas, sizes, autoscaling, domains,
/// static and maintenance are not part of a release and stay as they are.
/// </summary>
public static class RollbackChange
{
    /// <summary>"v6" or "6" → 6.</summary>
    public static int ParseVersion(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var digits = argument.StartsWith('v') || argument.StartsWith('V') ? argument[1..] : argument;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new CommandException($"\"{argument}\" is not a release version (for example v6)");
    }

    /// <summary>The number the operator gives the next release: one more than any it has made.</summary>
    public static int NextVersion(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var newest = Math.Max(app.Status?.Release ?? 0, app.Status?.Releases?.Select(r => r.Version).DefaultIfEmpty(0).Max() ?? 0);
        return newest + 1;
    }

    public static PlannedChange Plan(WebApp app, int version, ReleaseSnapshot release)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(release);
        var name = app.Metadata.Name;
        var notes = new List<string>();
        var processes = new JsonObject();
        foreach (var process in ProcessesView.OrderedNames(app.Spec.Processes.Keys))
        {
            if (release.Processes.TryGetValue(process, out var command))
            {
                processes[process] = new JsonObject
                {
                    ["command"] = WebAppPatch.Node(command.Command),
                    ["args"] = WebAppPatch.Node(command.Args),
                };
            }
            else
            {
                notes.Add($"process {process} did not exist in v{I(version)}; its command is left as it is");
            }
        }

        foreach (var process in ProcessesView.OrderedNames(release.Processes.Keys.Where(p => !app.Spec.Processes.ContainsKey(p))))
        {
            notes.Add($"process {process} of v{I(version)} is no longer in spec.processes; it is not added back");
        }

        var spec = new JsonObject
        {
            ["image"] = release.Image,
            ["env"] = WebAppPatch.Node(release.Env),
            ["envFrom"] = WebAppPatch.Node(release.EnvFrom),
        };
        if (processes.Count > 0)
        {
            spec["processes"] = processes;
        }

        var body = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [ReleaseRevisions.RollbackAnnotation] = I(version) },
            },
            ["spec"] = spec,
        };
        var next = NextVersion(app);
        return new PlannedChange(
            WebAppPatch.Merge(body),
            $"Rolling back {name} to v{I(version)}",
            $"the operator will make release v{I(next)} (rollback to v{I(version)})",
            notes);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
