using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;

namespace Kuroku.Kubectl.Commands;

/// <summary>`restart APP [PROCESS]` (heroku ps:restart): rolls the pods of one process, or of all, without a release.</summary>
public static class RestartCommand
{
    public static CommandInfo Info { get; } = new(
        "restart",
        "kubectl kuroku restart APP [PROCESS]",
        "Restart the pods of one process, or of all, without a new release",
        "Merge-patches spec.processes.<process>.restartedAt to now (every process that runs all the time when none\n"
        + "is named). The operator copies it into the pod template, so the pods roll as in any rollout, web with\n"
        + "zero downtime; no release is made. The change is in the spec: git and kubectl get webapp -o yaml show it.\n"
        + "Scheduled processes have nothing running to restart. Example: kubectl kuroku restart shop worker")
    {
        Aliases = ["ps:restart"],
        MaxArguments = 1,
        ArgumentsName = "at most one PROCESS",
        RunAsync = (run, cancellationToken) =>
            run.ChangeAsync(current => RestartChange.Plan(current, run.Arguments.Count == 0 ? null : run.Arguments[0], run.Now), cancellationToken),
    };
}
