using k8s.Models;

namespace Kuroku.Playground.Cluster;

/// <summary>
/// Where the simulated kubelet reports what a container would print. The playground runs no container: its
/// implementation (<see cref="Nodes.ContainerLogs"/>) writes a started container's first line (its command, saying
/// it is simulated) and its exit where the API server serves pod logs from.
/// </summary>
public interface IContainerOutput
{
    /// <summary>The container of <paramref name="pod"/> started (its status says Running).</summary>
    Task ContainerStartedAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken);

    /// <summary>The container of a pod that runs to completion exited with <paramref name="exitCode"/>.</summary>
    Task ContainerExitedAsync(V1Pod pod, V1Container container, int exitCode, CancellationToken cancellationToken);
}

/// <summary>No output is kept.</summary>
public sealed class NoContainerOutput : IContainerOutput
{
    public static readonly NoContainerOutput Instance = new();

    public Task ContainerStartedAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ContainerExitedAsync(V1Pod pod, V1Container container, int exitCode, CancellationToken cancellationToken) => Task.CompletedTask;
}
