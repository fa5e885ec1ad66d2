using k8s.Models;
using Kuroku.Kubectl.Changes;
using Kuroku.Operator.Api.V1Alpha1;

namespace Kuroku.Kubectl.Kube;

/// <summary>What the plugin reads and writes in a cluster; the only I/O the commands do.</summary>
public interface IKurokuCluster
{
    /// <summary>The namespace commands use when -n is not given: the context's, else "default".</summary>
    string DefaultNamespace { get; }

    /// <summary>The WebApp, or null when there is none of that name.</summary>
    Task<WebApp?> GetWebAppAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Patches the WebApp. Throws <see cref="ApiException"/> (409 conflict, 422 invalid, ...).</summary>
    Task<WebApp> PatchWebAppAsync(string ns, string name, WebAppPatch patch, CancellationToken cancellationToken);

    /// <summary>The ControllerRevision, or null when there is none of that name.</summary>
    Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The ControllerRevisions with that label selector.</summary>
    Task<IReadOnlyList<V1ControllerRevision>> ListRevisionsAsync(string ns, string labelSelector, CancellationToken cancellationToken);
}

/// <summary>The API server said no; <see cref="Exception.Message"/> is the server's message.</summary>
public sealed class ApiException(int statusCode, string reason, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The Status reason, for example Conflict, Invalid, Forbidden; may be empty.</summary>
    public string Reason { get; } = reason;

    /// <summary>
    /// The write raced another one: 409 Conflict, or the 422 the API server answers when the JSON
    /// patch's test of metadata.resourceVersion fails. Worth a fresh read and another try.
    /// </summary>
    public bool IsConflict =>
        StatusCode == 409
        || (StatusCode == 422 && Message.Contains("resourceVersion", StringComparison.Ordinal)
            && Message.Contains("test", StringComparison.OrdinalIgnoreCase));
}
