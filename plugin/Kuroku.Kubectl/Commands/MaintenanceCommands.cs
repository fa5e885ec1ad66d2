using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;

namespace Kuroku.Kubectl.Commands;

/// <summary>`maintenance:on APP` and `maintenance:off APP`: the maintenance page.</summary>
public static class MaintenanceCommands
{
    public static CommandInfo On { get; } = new(
        "maintenance:on",
        "kubectl kuroku maintenance:on APP",
        "Answer HTTP with 503 and a maintenance page",
        "Merge-patches spec.maintenance to true. Processes keep running; nothing restarts.")
    {
        RunAsync = (run, cancellationToken) => run.ChangeAsync(current => MaintenanceChange.Plan(current, on: true), cancellationToken),
    };

    public static CommandInfo Off { get; } = new(
        "maintenance:off",
        "kubectl kuroku maintenance:off APP",
        "Serve the app again",
        "Merge-patches spec.maintenance to false. Nothing restarts.")
    {
        RunAsync = (run, cancellationToken) => run.ChangeAsync(current => MaintenanceChange.Plan(current, on: false), cancellationToken),
    };
}
