using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Kube;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl;

/// <summary>
/// Runs one parsed command against a cluster: the command reads, decides with the pure parts (views,
/// planned changes), and writes through its <see cref="CommandContext"/>; list edits are retried on
/// conflicts from a fresh read.
/// </summary>
public sealed class CommandRunner(IKurokuCluster cluster, TextWriter stdout, TextWriter stderr, Terminal terminal, TimeProvider clock)
{
    /// <summary>How often a write is tried when the app changes under it (409, or a failed resourceVersion test).</summary>
    public const int MaxAttempts = 5;

    public CommandRunner(IKurokuCluster cluster, TextWriter stdout, TimeProvider clock)
        : this(cluster, stdout, TextWriter.Null, Terminal.None, clock)
    {
    }

    /// <summary>Runs the command; returns its exit code (0, or what a one-off process exited with).</summary>
    public async Task<int> RunAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var command = invocation.Command ?? throw new ArgumentException("no command to run", nameof(invocation));
        var app = invocation.App ?? throw new ArgumentException("no app", nameof(invocation));
        var ns = invocation.Options.Namespace ?? cluster.DefaultNamespace;
        var context = new CommandContext(invocation, ns, app, cluster, stdout, clock) { Err = stderr, Terminal = terminal };
        await command.RunAsync(context, cancellationToken);
        return context.ExitCode;
    }
}

/// <summary>What a command works with: the app it names, its arguments and flags, the cluster, the output.</summary>
public sealed class CommandContext(Invocation invocation, string ns, string app, IKurokuCluster cluster, TextWriter stdout, TimeProvider clock)
{
    public Invocation Invocation => invocation;

    /// <summary>-n, else the context's namespace, else "default".</summary>
    public string Namespace => ns;

    /// <summary>The WebApp's name.</summary>
    public string App => app;

    /// <summary>The arguments after the app.</summary>
    public IReadOnlyList<string> Arguments => invocation.Arguments;

    public IKurokuCluster Cluster => cluster;

    public TextWriter Out => stdout;

    /// <summary>Where progress goes that is not the command's output ("Running ... up, run.1"), and a remote process's stderr.</summary>
    public TextWriter Err { get; init; } = TextWriter.Null;

    /// <summary>The local terminal, for a one-off process attached to it.</summary>
    public Terminal Terminal { get; init; } = Terminal.None;

    /// <summary>The plugin's exit code when the command succeeds: 0, or what an attached one-off process exited with.</summary>
    public int ExitCode { get; set; }

    public DateTimeOffset Now => clock.GetUtcNow();

    public TimeProvider Clock => clock;

    /// <summary>The app, or a <see cref="CommandException"/> naming it and its namespace.</summary>
    public Task<WebApp> GetAppAsync(CancellationToken cancellationToken) => GetAppAsync(ns, app, cancellationToken);

    /// <summary>Another app (promote's source and target), or a <see cref="CommandException"/> naming it.</summary>
    public async Task<WebApp> GetAppAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await cluster.GetWebAppAsync(@namespace, name, cancellationToken) ?? throw NotFound(@namespace, name);

    public CommandException NotFound() => NotFound(ns, app);

    public static CommandException NotFound(string @namespace, string name) =>
        new($"webapp \"{CommandLineSyntax.Printable(name)}\" not found in namespace \"{CommandLineSyntax.Printable(@namespace)}\"");

    /// <summary>Read, plan, patch; on a conflict read again and plan again, up to <see cref="CommandRunner.MaxAttempts"/> times.</summary>
    public Task ChangeAsync(Func<WebApp, PlannedChange> plan, CancellationToken cancellationToken) => ChangeAsync(ns, app, plan, cancellationToken);

    /// <summary><see cref="ChangeAsync(Func{WebApp, PlannedChange}, CancellationToken)"/> of another app.</summary>
    public async Task ChangeAsync(string @namespace, string name, Func<WebApp, PlannedChange> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var announced = false;
        for (var attempt = 1; ; attempt++)
        {
            var change = plan(await GetAppAsync(@namespace, name, cancellationToken));
            if (change.Patch is null)
            {
                await stdout.WriteLineAsync(announced ? "done (someone else made the same change)" : change.Summary);
                return;
            }

            if (!announced)
            {
                await stdout.WriteAsync(change.Summary + "... ");
                await stdout.FlushAsync(cancellationToken);
                announced = true;
            }

            try
            {
                await cluster.PatchWebAppAsync(@namespace, name, change.Patch, cancellationToken);
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsFailedPatchTest) && attempt < CommandRunner.MaxAttempts)
            {
                continue;
            }
            catch (KubernetesApiException e) when (e.IsConflict || e.IsFailedPatchTest)
            {
                await stdout.WriteLineAsync("failed");
                throw new CommandException(
                    $"{name} changed {CommandRunner.MaxAttempts} times while this command tried to write it; try again ({e.ServerMessage})");
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                await stdout.WriteLineAsync("failed");
                throw NotFound(@namespace, name);
            }
            catch (Exception)
            {
                await stdout.WriteLineAsync("failed");
                throw;
            }

            await stdout.WriteLineAsync(change.Outcome is null ? "done" : "done, " + change.Outcome);
            foreach (var note in change.Notes)
            {
                await stdout.WriteLineAsync(note);
            }

            return;
        }
    }
}
