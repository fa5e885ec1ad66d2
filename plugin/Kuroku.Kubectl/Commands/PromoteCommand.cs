using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Runs;

namespace Kuroku.Kubectl.Commands;

/// <summary>`promote SOURCE TARGET` (heroku pipelines:promote): the live release of one app to another, config vars kept.</summary>
public static class PromoteCommand
{
    public static CommandInfo Info { get; } = new(
        "promote",
        "kubectl kuroku promote [NAMESPACE/]SOURCE [NAMESPACE/]TARGET",
        "Copy the live release of one app (image, process commands) to another, keeping its config vars",
        "Reads SOURCE's live release (status.release, its ControllerRevision) and merge-patches TARGET once: its\n"
        + "image, the commands of its processes, and the annotations kuroku.dev/promoted-from (\"staging/shop v12\")\n"
        + "and kuroku.dev/promoted-image, so the release the operator makes says \"promoted from staging/shop v12\".\n"
        + "TARGET keeps its own config vars, sizes, replicas, domains; a process it lacks is added with 0 replicas.\n"
        + "Apps without a namespace are in the namespace of -n. Under GitOps, commit the same patch instead.\n"
        + "Example: kubectl kuroku promote staging/shop production/shop")
    {
        Aliases = ["pipelines:promote"],
        MinArguments = 1,
        MaxArguments = 1,
        ArgumentsName = "a TARGET app to promote to",
        RunAsync = async (run, cancellationToken) =>
        {
            var source = AppRef.Parse(run.App, run.Namespace, "the source");
            var target = AppRef.Parse(run.Arguments[0], run.Namespace, "the target");
            if (source == target)
            {
                throw new CommandException($"cannot promote {source} to itself: name another app as the target");
            }

            var from = await run.GetAppAsync(source.Namespace, source.Name, cancellationToken);
            var version = LiveRelease.Version(from, source.ToString());
            var release = await LiveRelease.ReadAsync(run.Cluster, from, version, cancellationToken);
            await run.ChangeAsync(target.Namespace, target.Name, current => PromoteChange.Plan(current, source, version, release), cancellationToken);
        },
    };
}
