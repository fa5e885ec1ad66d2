using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Kube;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Kubectl;

/// <summary>
/// Runs one parsed command against a cluster: the command reads, decides with the pure parts (views,
/// planned changes), and writes through its <see cref="CommandContext"/>; list edits are retried on
/// conflicts from a fresh read.
/// </summary>
public sealed class CommandRunner(IKurokuCluster cluster, TextWriter stdout, TimeProvider clock)
{
    /// <summary>How often a write is tried when the app changes under it (409, or a failed resourceVersion test).</summary>
    public const int MaxAttempts = 5;

    public async Task RunAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var command = invocation.Command ?? throw new ArgumentException("no command to run", nameof(invocation));
        var app = invocation.App ?? throw new ArgumentException("no app", nameof(invocation));
        var ns = invocation.Options.Namespace ?? cluster.DefaultNamespace;
        await command.RunAsync(new CommandContext(invocation, ns, app, cluster, stdout, clock), cancellationToken);
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

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The app, or a <see cref="CommandException"/> naming it and its namespace.</summary>
    public async Task<WebApp> GetAppAsync(CancellationToken cancellationToken) =>
        await cluster.GetWebAppAsync(ns, app, cancellationToken) ?? throw NotFound();

    public CommandException NotFound() =>
        new($"webapp \"{CommandLineSyntax.Printable(app)}\" not found in namespace \"{CommandLineSyntax.Printable(ns)}\"");

    /// <summary>Read, plan, patch; on a conflict read again and plan again, up to <see cref="CommandRunner.MaxAttempts"/> times.</summary>
    public async Task ChangeAsync(Func<WebApp, PlannedChange> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var announced = false;
        for (var attempt = 1; ; attempt++)
        {
            var change = plan(await GetAppAsync(cancellationToken));
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
                await cluster.PatchWebAppAsync(ns, app, change.Patch, cancellationToken);
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsFailedPatchTest) && attempt < CommandRunner.MaxAttempts)
            {
                continue;
            }
            catch (KubernetesApiException e) when (e.IsConflict || e.IsFailedPatchTest)
            {
                await stdout.WriteLineAsync("failed");
                throw new CommandException(
                    $"{app} changed {CommandRunner.MaxAttempts} times while this command tried to write it; try again ({e.ServerMessage})");
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                await stdout.WriteLineAsync("failed");
                throw NotFound();
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
