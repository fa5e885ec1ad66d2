using System.CommandLine;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Hosting;
using Kuroku.Runtime.Cli;
using Microsoft.AspNetCore.Connections;
using k8s;

namespace Kuroku.Operator.Cli;

/// <summary>`run`: validates the options and the kubeconfig, then runs the operator until stopped (SIGTERM, Ctrl-C).</summary>
public static class RunCommand
{
    /// <summary>The `run` command and its options, one per <see cref="OperatorSettings.Run"/> setting.</summary>
    internal sealed record Declaration(Command Command, SettingOptions Settings);

    internal static Declaration Declare()
    {
        var settings = new SettingOptions(OperatorSettings.Run, fromEnvironment: true);
        var command = new Command("run",
            "Run the operator against a cluster until stopped (SIGTERM, Ctrl-C); flags win over variables.");
        foreach (var option in settings.Options)
        {
            command.Options.Add(option);
        }

        return new Declaration(command, settings);
    }

    internal static async Task<int> RunAsync(CommandLineSyntax.Analysis line, Declaration declaration,
        IReadOnlyDictionary<string, string?> environment, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var (options, errors) = OptionsParser.Read(line, declaration.Settings, environment);
        if (options is null)
        {
            return await CommandLine.UsageAsync(stderr, declaration.Command, errors);
        }

        if (KubeconfigProblem(options) is { } problem)
        {
            return await CommandLine.UsageAsync(stderr, declaration.Command, problem);
        }

        MallocArenas.Limit(MallocArenas.Operator, environment);
        try
        {
            await using var app = OperatorHost.Build(options);
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is AddressInUseException or System.Net.Sockets.SocketException)
        {
            await stderr.WriteLineAsync(
                $"error: {e.Message} (--http-port {options.HttpPort}, --webhook-port {options.WebhookPort}; KUROKU_HTTP_PORT, KUROKU_WEBHOOK_PORT)");
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Why the client configuration <c>run</c> would use cannot be loaded (the --kubeconfig file, else the
    /// in-cluster service account, else $KUBECONFIG or ~/.kube/config), naming the flag; null when it loads.
    /// </summary>
    internal static string? KubeconfigProblem(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inCluster = options.Kubeconfig is null && KubernetesClientConfiguration.IsInCluster();
        try
        {
            _ = KubeconfigLoader.Load(options.Kubeconfig, options.Context);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The client throws whatever its reader hits (an empty file gives a NullReferenceException).
            var detail = e is NullReferenceException ? "it is empty or not a kubeconfig" : e.Message;
            var context = options.Context is { } name ? $" with --context \"{CommandLineSyntax.Printable(name)}\"" : "";
            return inCluster
                ? $"the in-cluster configuration (service account) cannot be read: {detail}"
                : options.Kubeconfig is { } path
                    ? $"--kubeconfig: \"{CommandLineSyntax.Printable(path)}\" must be a readable kubeconfig{context}: {detail}"
                    : $"no usable kubeconfig{context} (give --kubeconfig, or set $KUBECONFIG, or create ~/.kube/config): {detail}";
        }
    }
}
