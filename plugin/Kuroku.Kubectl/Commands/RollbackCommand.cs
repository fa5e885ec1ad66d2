using System.Globalization;
using Kuroku.Api.Releases;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Runs;

namespace Kuroku.Kubectl.Commands;

/// <summary>`rollback APP vN`: release N's image, config vars and commands again, as a new release.</summary>
public static class RollbackCommand
{
    public static CommandInfo Info { get; } = new(
        "rollback",
        "kubectl kuroku rollback APP vN",
        "Run release vN's image, config vars and commands again, as a new release",
        "Reads the ControllerRevision APP-vN and merge-patches the WebApp with its image, env, envFrom and\n"
        + "process commands (replicas, sizes, autoscaling, domains, static and maintenance stay as they are),\n"
        + "and the annotation kuroku.dev/rollback-to. The operator then makes a new release \"rollback to vN\".\n"
        + "Under GitOps, commit the same change to git, or the next sync undoes the rollback.")
    {
        Aliases = ["releases:rollback"],
        MinArguments = 1,
        MaxArguments = 1,
        ArgumentsName = "the release to roll back to, for example v6",
        RunAsync = (run, cancellationToken) => RunAsync(run, RollbackChange.ParseVersion(run.Arguments[0]), cancellationToken),
    };

    private static async Task RunAsync(CommandContext run, int version, CancellationToken cancellationToken)
    {
        var (ns, name) = (run.Namespace, run.App);
        var revisionName = string.Create(CultureInfo.InvariantCulture, $"{name}-v{version}");
        var revision = await run.Cluster.GetRevisionAsync(ns, revisionName, cancellationToken);
        if (revision is null || revision.Metadata.Labels?.TryGetValue(ReleaseRevisions.AppLabel, out var owner) != true || owner != name)
        {
            await run.GetAppAsync(cancellationToken);
            var stored = await run.Cluster.ListRevisionsAsync(ns, $"{ReleaseRevisions.AppLabel}={name}", cancellationToken);
            var available = stored.Select(r => r.Revision ?? 0).Where(v => v > 0).Order().Select(v => "v" + v.ToString(CultureInfo.InvariantCulture)).ToList();
            throw new CommandException(
                $"release v{version.ToString(CultureInfo.InvariantCulture)} of {name} not found (no ControllerRevision {revisionName} labelled {ReleaseRevisions.AppLabel}={name} in namespace \"{ns}\"); "
                + (available.Count == 0 ? "no releases are stored" : "available: " + string.Join(", ", available)));
        }

        var snapshot = LiveRelease.SnapshotOf(revision);
        var notes = new List<string>();
        if (revision.Metadata.Annotations?.TryGetValue(ReleaseRevisions.PhaseAnnotation, out var phase) == true && phase == ReleasePhases.Failed)
        {
            notes.Add($"note: v{version.ToString(CultureInfo.InvariantCulture)} failed its release phase; its release phase runs again");
        }

        await run.ChangeAsync(current =>
        {
            var change = RollbackChange.Plan(current, version, snapshot);
            return change with { Notes = [.. notes, .. change.Notes] };
        }, cancellationToken);
    }
}
