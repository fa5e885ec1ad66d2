using Kuroku.Testing.ApiServer.Pods;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Nodes;

/// <summary>
/// The simulated containers' output, kept where the API server serves pod logs from (`kubectl logs`,
/// `kubectl kuroku logs`): a started container says what it would run, as Heroku's "Starting process with
/// command", and one that runs to completion says how it exited. A pod deleted meanwhile has no log to write.
/// </summary>
public sealed class ContainerLogs(PodLogs logs, TimeProvider time) : IContainerOutput
{
    public Task ContainerStartedAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        Write(pod, container, $"Starting process with command `{CommandLine(container)}` (simulated: the playground runs no containers)");
        return Task.CompletedTask;
    }

    public Task ContainerExitedAsync(V1Pod pod, V1Container container, int exitCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        Write(pod, container, $"Process exited with status {exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return Task.CompletedTask;
    }

    /// <summary>The container's command and args, or what the image would run.</summary>
    public static string CommandLine(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var words = (container.Command ?? []).Concat(container.Args ?? []).ToList();
        return words.Count == 0 ? $"(the entrypoint of {container.Image})" : string.Join(' ', words);
    }

    private void Write(V1Pod pod, V1Container container, string line)
    {
        try
        {
            logs.Append(pod.Metadata.NamespaceProperty, pod.Metadata.Name, container.Name, line, time.GetUtcNow());
        }
        catch (InvalidOperationException)
        {
            // The pod is gone already: nobody can read its log.
        }
    }
}
