using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.Commands;

/// <summary>`ps APP`: the processes of an app.</summary>
public static class PsCommand
{
    public static CommandInfo Info { get; } = new(
        "ps",
        "kubectl kuroku ps APP",
        "List the processes of an app with their replicas, size and command",
        "REPLICAS is the desired count (the autoscaler's while autoscaling), READY ready/desired,\n"
        + "UP-TO-DATE the replicas running the live release.")
    {
        RunAsync = async (run, cancellationToken) =>
            await run.Out.WriteAsync(ProcessesView.Render(await run.GetAppAsync(cancellationToken))),
    };
}
