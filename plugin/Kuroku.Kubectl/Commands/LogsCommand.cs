using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Logs;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl.Commands;

/// <summary>`logs APP [-p PROCESS] [--tail N] [-f]` (heroku logs): every pod of the app, merged, named like dynos.</summary>
public static class LogsCommand
{
    private static readonly System.CommandLine.Option<string> Process =
        CommandLineSyntax.ValueOption("--process", "PROCESS", "only this process (web), or one source (web.1, run.2, release.v7)", "-p");

    private static readonly System.CommandLine.Option<string> Tail =
        CommandLineSyntax.ValueOption("--tail", "N", "the last N lines, of all sources together (default 100, -1 for all)");

    private static readonly System.CommandLine.Option<bool> Follow =
        CommandLineSyntax.Switch("--follow", "keep streaming new lines, from new pods too, until Ctrl-C", "-f");

    public static CommandInfo Info { get; } = new(
        "logs",
        "kubectl kuroku logs APP [-p PROCESS] [--tail N] [-f]",
        "Show the logs of every pod of an app, merged and named like Heroku's dynos",
        "Reads the log of every pod of the app (its processes, release phases, one-off runs, scheduled runs) and\n"
        + "prints them as one stream, oldest first: \"TIME app[SOURCE]: LINE\", where SOURCE is web.1, worker.2,\n"
        + "release.v7, run.1... A process's pods are numbered in the order they started. With -f it goes on with\n"
        + "new lines, follows pods that appear (a rollout's new pods, a new run) and stops following pods that go.\n"
        + "Example: kubectl kuroku logs shop -p web --tail 20 -f")
    {
        Options = [Process, Tail, Follow],
        RunAsync = async (run, cancellationToken) =>
        {
            var tail = AppLogs.ParseTail(run.Invocation.Value(Tail));
            var app = await run.GetAppAsync(cancellationToken);
            var filter = LogFilter.Parse(app, run.Invocation.Value(Process));
            using var logs = new AppLogs(run.Cluster, run.Namespace, app.Metadata.Name, filter, tail, run.Out);
            await logs.RunAsync(run.Invocation.Has(Follow), run.Clock, cancellationToken);
        },
    };
}
