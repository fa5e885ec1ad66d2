using System.Globalization;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Kube;
using Kuroku.Kubectl.Logs;
using Kuroku.Kubectl.Output;
using Kuroku.Kubectl.Runs;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Cli;
using k8s.Models;

namespace Kuroku.Kubectl.Commands;

/// <summary>`run APP -- COMMAND...` (heroku run) and `run:detached` (heroku run:detached): a one-off process of the live release.</summary>
public static class RunCommand
{
    /// <summary>How long an attached run may take to start (schedule, pull, start) before the plugin gives up.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private static readonly System.CommandLine.Option<string> Size =
        CommandLineSyntax.ValueOption("--size", "SIZE", "the size preset (default: the web process's size)", "-s");

    private static readonly System.CommandLine.Option<bool> Detach =
        CommandLineSyntax.Switch("--detach", "start it as a Job, print its name and return (heroku run:detached)", "-d");

    private static readonly System.CommandLine.Option<bool> NoTty =
        CommandLineSyntax.Switch("--no-tty", "no terminal even when stdin is one (output and exit code only)");

    private const string Details =
        "Starts the command with the live release's image and config vars (Secrets and ConfigMaps they refer to\n"
        + "included), the app's Pod Security settings (\"restricted\") and a size, and attaches this terminal to it\n"
        + "through the API server, as `kubectl run -it` does: stdin, stdout and stderr, a TTY when stdin is one.\n"
        + "The command's exit code is the plugin's. The pod APP-run-N (labelled kuroku.dev/run=N: ps and logs show\n"
        + "run.N) is deleted when the command ends. The command runs as given (argv), not through a shell: write\n"
        + "`-- sh -c '...'` for one. With --detach (or run:detached) it runs as the Job APP-run-N, removed an hour\n"
        + "after it ends; follow it with kubectl kuroku logs APP -p run.N -f. One-off processes end after 24 hours.\n"
        + "Example: kubectl kuroku run shop -- python manage.py shell";

    public static CommandInfo Info { get; } = new(
        "run",
        "kubectl kuroku run APP [--size SIZE] [--detach] [--no-tty] -- COMMAND [ARGS...]",
        "Run a one-off process of the live release, attached to this terminal",
        Details)
    {
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        ArgumentsName = "a COMMAND to run (after --)",
        TakesCommandLine = true,
        Options = [Size, Detach, NoTty],
        RunAsync = (run, cancellationToken) => RunAsync(run, run.Invocation.Has(Detach), cancellationToken),
    };

    public static CommandInfo Detached { get; } = new(
        "run:detached",
        "kubectl kuroku run:detached APP [--size SIZE] -- COMMAND [ARGS...]",
        "Run a one-off process of the live release as a Job, in the background",
        "run --detach: starts the command as the Job APP-run-N and prints its name.\n"
        + "Follow it with kubectl kuroku logs APP -p run.N -f.")
    {
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        ArgumentsName = "a COMMAND to run (after --)",
        TakesCommandLine = true,
        Options = [Size],
        RunAsync = (run, cancellationToken) => RunAsync(run, detach: true, cancellationToken),
    };

    private static async Task RunAsync(CommandContext run, bool detach, CancellationToken cancellationToken)
    {
        var app = await run.GetAppAsync(cancellationToken);
        var version = LiveRelease.Version(app, app.Metadata.Name);
        var size = OneOff.SizeFor(app, run.Invocation.Value(Size));
        var snapshot = await LiveRelease.ReadAsync(run.Cluster, app, version, cancellationToken);
        var command = run.Arguments;
        var shown = ProcessesView.Command(command.ToList(), null);
        var tty = run.Terminal.IsTerminal && !run.Invocation.Has(NoTty) && !detach;
        await run.Err.WriteAsync($"Running {shown} on {app.Metadata.Name}... ");
        await run.Err.FlushAsync(cancellationToken);

        var existing = await ExistingRunsAsync(run, app.Metadata.Name, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var number = OneOff.NextNumber(existing) + attempt;
            var oneOff = new OneOffRun(app, version, snapshot, command, size, number);
            try
            {
                if (detach)
                {
                    var job = await run.Cluster.CreateJobAsync(run.Namespace, OneOff.Job(oneOff), cancellationToken);
                    await run.Err.WriteLineAsync($"up, run.{I(number)} ({size.Name}, release v{I(version)})");
                    await run.Out.WriteLineAsync($"job/{job.Metadata.Name}");
                    await run.Err.WriteLineAsync($"See its output with: kubectl kuroku logs {app.Metadata.Name} -n {run.Namespace} -p run.{I(number)} -f");
                    return;
                }

                await run.Cluster.CreatePodAsync(run.Namespace, OneOff.Pod(oneOff, tty), cancellationToken);
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists && attempt < 5)
            {
                // Someone started run.N at the same moment: take the next number.
                continue;
            }
            catch (KubernetesApiException)
            {
                await run.Err.WriteLineAsync("failed");
                throw;
            }

            await AttachedAsync(run, OneOff.Name(app.Metadata.Name, number), number, size.Name, version, tty, cancellationToken);
            return;
        }
    }

    private static async Task<IReadOnlyList<V1ObjectMeta>> ExistingRunsAsync(CommandContext run, string app, CancellationToken cancellationToken)
    {
        var selector = OneOff.Selector(app);
        var pods = await run.Cluster.ListPodsAsync(run.Namespace, selector, cancellationToken);
        var jobs = await run.Cluster.ListJobsAsync(run.Namespace, selector, cancellationToken);
        return [.. pods.Items.Select(p => p.Metadata), .. jobs.Select(j => j.Metadata)];
    }

    /// <summary>Waits for the pod to run, attaches, and ends with the process's exit code; the pod is deleted in every case.</summary>
    private static async Task AttachedAsync(CommandContext run, string pod, int number, string size, int version, bool tty, CancellationToken cancellationToken)
    {
        try
        {
            var started = await WaitForStartAsync(run, pod, number, cancellationToken);
            await run.Err.WriteLineAsync($"up, run.{I(number)} ({size}, release v{I(version)})");
            if (IsFinished(started))
            {
                // It ended before the terminal could attach (kubectl run does the same): its output is in its log.
                await foreach (var line in run.Cluster.ReadLogAsync(run.Namespace, pod, OneOff.Container, new LogRequest(), cancellationToken))
                {
                    await run.Out.WriteLineAsync(LogLines.WithoutTimestamp(line));
                }

                run.ExitCode = ExitCode(started) ?? 1;
                return;
            }

            RemoteStatus status;
            using (tty ? run.Terminal.Raw() : null)
            {
                await using var connection = await run.Cluster.AttachAsync(run.Namespace, pod, OneOff.Container, tty, cancellationToken);
                status = await AttachedSession.RunAsync(connection, run.Terminal, run.Out, tty ? run.Out : run.Err, tty, cancellationToken);
            }

            if (status.Failure is { } failure)
            {
                throw new CommandException($"run.{I(number)}: {failure}");
            }

            run.ExitCode = status.ExitCode is { } code && !status.Success ? code : await ExitCodeAsync(run, pod, number, cancellationToken);
        }
        finally
        {
            // Attached runs leave nothing behind, whatever happened (kubectl run --rm).
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await run.Cluster.DeletePodAsync(run.Namespace, pod, cleanup.Token);
            }
            catch (Exception e) when (e is KubernetesApiException or CommandException or OperationCanceledException)
            {
                await run.Err.WriteLineAsync($"warning: pod {pod} could not be deleted: {e.Message}");
            }
        }
    }

    /// <summary>Polls the pod until its container runs or has ended; a clear error when it does not start in time.</summary>
    private static async Task<V1Pod> WaitForStartAsync(CommandContext run, string name, int number, CancellationToken cancellationToken)
    {
        V1Pod? pod = null;
        for (var waited = TimeSpan.Zero; waited < StartTimeout; waited += Poll)
        {
            pod = await run.Cluster.GetPodAsync(run.Namespace, name, cancellationToken)
                ?? throw new CommandException($"run.{I(number)}: pod {name} was deleted before it started");
            if (IsRunning(pod) || IsFinished(pod))
            {
                return pod;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        var waiting = pod?.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
        var unscheduled = pod?.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        var why = waiting is not null ? $"{waiting.Reason}: {waiting.Message}"
            : unscheduled is not null ? $"{unscheduled.Reason}: {unscheduled.Message}"
            : $"phase {pod?.Status?.Phase ?? "Pending"}";
        throw new CommandException($"run.{I(number)} did not start within {StartTimeout.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes ({why})");
    }

    /// <summary>After the session: the exit code the container terminated with (the kubelet's attach says Success whatever it was).</summary>
    private static async Task<int> ExitCodeAsync(CommandContext run, string name, int number, CancellationToken cancellationToken)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += Poll)
        {
            var pod = await run.Cluster.GetPodAsync(run.Namespace, name, cancellationToken);
            if (pod is not null && ExitCode(pod) is { } code)
            {
                return code;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        throw new CommandException($"run.{I(number)}: the connection ended but the process has not (pod {name} is deleted now)");
    }

    private static bool IsRunning(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Any(c => c.Name == OneOff.Container && c.State?.Running is not null) == true;

    private static bool IsFinished(V1Pod pod) =>
        pod.Status?.Phase is "Succeeded" or "Failed" || ExitCode(pod) is not null;

    private static int? ExitCode(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == OneOff.Container)?.State?.Terminated?.ExitCode;

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
