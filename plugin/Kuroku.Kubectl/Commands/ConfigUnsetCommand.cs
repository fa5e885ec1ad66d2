using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;

namespace Kuroku.Kubectl.Commands;

/// <summary>`config:unset APP NAME...`: removes config vars.</summary>
public static class ConfigUnsetCommand
{
    public static CommandInfo Info { get; } = new(
        "config:unset",
        "kubectl kuroku config:unset APP NAME [NAME...]",
        "Remove config vars; makes a new release",
        "Removes entries of spec.env. A name that is not in spec.env is an error.")
    {
        Aliases = ["config:remove"],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        ArgumentsName = "at least one NAME",
        RunAsync = async (run, cancellationToken) =>
        {
            var names = ConfigChange.ParseNames(run.Arguments);
            await run.ChangeAsync(current => ConfigChange.PlanUnset(current, names), cancellationToken);
        },
    };
}
