using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;
using Kuroku.Kubectl.Changes;
using k8s.Models;

namespace Kuroku.Kubectl.Kube;

/// <summary>What the plugin reads and writes in a cluster; the only I/O the commands do.</summary>
public interface IKurokuCluster
{
    /// <summary>The namespace commands use when -n is not given: the context's, else "default".</summary>
    string DefaultNamespace { get; }

    /// <summary>The WebApp, or null when there is none of that name.</summary>
    Task<WebApp?> GetWebAppAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Patches the WebApp. Throws <see cref="KubernetesApiException"/> (409 conflict, 422 invalid, ...).</summary>
    Task<WebApp> PatchWebAppAsync(string ns, string name, WebAppPatch patch, CancellationToken cancellationToken);

    /// <summary>The ControllerRevision, or null when there is none of that name.</summary>
    Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The ControllerRevisions with that label selector.</summary>
    Task<IReadOnlyList<V1ControllerRevision>> ListRevisionsAsync(string ns, string labelSelector, CancellationToken cancellationToken);
}
