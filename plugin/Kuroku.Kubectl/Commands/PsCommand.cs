using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Output;
using Kuroku.Kubectl.Runs;

namespace Kuroku.Kubectl.Commands;

/// <summary>`ps APP`: the processes of an app.</summary>
public static class PsCommand
{
    public static CommandInfo Info { get; } = new(
        "ps",
        "kubectl kuroku ps APP",
        "List the processes of an app with their replicas, size and command",
        "REPLICAS is the desired count (the autoscaler's while autoscaling), READY ready/desired,\n"
        + "UP-TO-DATE the replicas running the live release. Scheduled processes follow with their schedule,\n"
        + "time zone and last run (from their CronJob), then the one-off processes running (run.N).")
    {
        RunAsync = async (run, cancellationToken) =>
        {
            var app = await run.GetAppAsync(cancellationToken);
            var name = app.Metadata.Name;
            var cronJobs = app.Spec.Processes.Values.Any(p => p.Schedule is not null)
                ? await run.Cluster.ListCronJobsAsync(run.Namespace, $"app.kubernetes.io/part-of={name},app.kubernetes.io/managed-by=kuroku", cancellationToken)
                : [];
            var runs = await run.Cluster.ListPodsAsync(run.Namespace, OneOff.Selector(name), cancellationToken);
            await run.Out.WriteAsync(ProcessesView.Render(app, cronJobs, runs.Items, run.Now));
        },
    };
}
