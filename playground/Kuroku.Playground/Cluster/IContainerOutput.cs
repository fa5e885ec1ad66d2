using k8s.Models;

namespace Kuroku.Playground.Cluster;

/// <summary>
/// Where the simulated kubelet reports what a container would print. The playground runs no container: this
/// is the seam for `kubectl logs` once the API server serves pod logs (issue 9), whose implementation writes
/// a started container's first lines (its command, a line saying it is simulated) where the server reads them.
/// </summary>
public interface IContainerOutput
{
    /// <summary>The container of <paramref name="pod"/> started (its status says Running).</summary>
    Task ContainerStartedAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken);

    /// <summary>The container of a pod that runs to completion exited with <paramref name="exitCode"/>.</summary>
    Task ContainerExitedAsync(V1Pod pod, V1Container container, int exitCode, CancellationToken cancellationToken);
}

/// <summary>No output is kept: pod logs are not served yet.</summary>
public sealed class NoContainerOutput : IContainerOutput
{
    public static readonly NoContainerOutput Instance = new();

    public Task ContainerStartedAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ContainerExitedAsync(V1Pod pod, V1Container container, int exitCode, CancellationToken cancellationToken) => Task.CompletedTask;
}
