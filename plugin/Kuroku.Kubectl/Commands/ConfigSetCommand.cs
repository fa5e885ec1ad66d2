using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;

namespace Kuroku.Kubectl.Commands;

/// <summary>`config:set APP NAME=VALUE...`: adds or replaces config vars.</summary>
public static class ConfigSetCommand
{
    public static CommandInfo Info { get; } = new(
        "config:set",
        "kubectl kuroku config:set APP NAME=VALUE [NAME=VALUE...]",
        "Set config vars; makes a new release",
        "Adds or replaces entries of spec.env, in place, keeping the order and the other entries. The write is\n"
        + "a JSON patch guarded by a test of metadata.resourceVersion, retried when the app changed meanwhile.")
    {
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        ArgumentsName = "at least one NAME=VALUE",
        RunAsync = async (run, cancellationToken) =>
        {
            var assignments = ConfigChange.ParseAssignments(run.Arguments);
            await run.ChangeAsync(current => ConfigChange.PlanSet(current, assignments), cancellationToken);
        },
    };
}
