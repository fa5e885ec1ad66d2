using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;

namespace Kuroku.Kubectl.Commands;

/// <summary>`scale APP PROCESS=N[:SIZE]...`: replica counts (and sizes) of processes.</summary>
public static class ScaleCommand
{
    public static CommandInfo Info { get; } = new(
        "scale",
        "kubectl kuroku scale APP PROCESS=N[:SIZE] [PROCESS=N[:SIZE]...]",
        "Set the replica count (and optionally the size) of processes",
        "Merge-patches spec.processes.<process>.replicas (and .size). A process with autoscaling is refused:\n"
        + "its HorizontalPodAutoscaler owns the replica count, so change spec.processes.<process>.autoscaling\n"
        + "(minReplicas, maxReplicas) instead, or remove autoscaling to scale by hand.\n"
        + "Example: kubectl kuroku scale shop web=3 worker=0")
    {
        Aliases = ["ps:scale"],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        ArgumentsName = "at least one PROCESS=N",
        RunAsync = async (run, cancellationToken) =>
        {
            var requests = ScaleChange.Parse(run.Arguments);
            await run.ChangeAsync(current => ScaleChange.Plan(current, requests), cancellationToken);
        },
    };
}
