using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Kube;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Kubectl;

/// <summary>
/// The whole plugin behind its process boundary: arguments in, text and an exit code out. Program.cs
/// passes the real console and <see cref="KurokuCluster"/>; tests pass writers and any cluster.
/// </summary>
public static class Plugin
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
    public const int Interrupted = 130;

    /// <summary>The plugin without input: stdin at its end, not a terminal.</summary>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        Func<GlobalOptions, IKurokuCluster> connect,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, Terminal.None, connect, clock, cancellationToken);

    /// <summary>The whole plugin: parse, connect, run; the exit code (a one-off process's own when it ran attached).</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        Terminal terminal,
        Func<GlobalOptions, IKurokuCluster> connect,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(connect);
        try
        {
            var invocation = CommandLine.Parse(args);
            if (invocation.Help)
            {
                await stdout.WriteAsync(invocation.Command is null ? CommandCatalog.Overview() : CommandCatalog.Help(invocation.Command));
                return Ok;
            }

            var cluster = connect(invocation.Options);
            try
            {
                return await new CommandRunner(cluster, stdout, stderr, terminal, clock).RunAsync(invocation, cancellationToken);
            }
            finally
            {
                (cluster as IDisposable)?.Dispose();
            }
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            await stderr.WriteLineAsync("Run \"kubectl kuroku --help\" for the commands and flags.");
            return BadUsage;
        }
        catch (CommandException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            return Failed;
        }
        catch (KubernetesApiException e)
        {
            await stderr.WriteLineAsync($"error from server ({(e.StatusReason.Length > 0 ? e.StatusReason : e.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}): {e.ServerMessage}");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("interrupted");
            return Interrupted;
        }
        catch (Exception e)
        {
            // Whatever else goes wrong (a kubeconfig the client reads in its own way, a server that answers
            // nonsense) is said in a line, not a stack trace.
            await stderr.WriteLineAsync($"error: {e.Message} ({e.GetType().Name})");
            return Failed;
        }
    }
}
