using Kuroku.Api.V1Alpha1;
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
    /// The write raced another one: 409 Conflict, or the 422 the API server answers when a JSON patch
    /// does not apply to the current object, which for our patches means its test of
    /// metadata.resourceVersion failed. kube-apiserver words that 422 generically ("the server rejected
    /// our request due to an error in our request", reason Invalid, no causes; see patch.go,
    /// applyJSPatch); a schema or webhook refusal is also 422 but names the object ("... is invalid: ...").
    /// Worth a fresh read and another try.
    /// </summary>
    public bool IsConflict =>
        StatusCode == 409
        || (StatusCode == 422
            && (Message.StartsWith(JsonPatchNotApplied, StringComparison.Ordinal)
                || Message.Contains("testing value /metadata/resourceVersion failed", StringComparison.Ordinal)));

    /// <summary>kube-apiserver's message when a JSON patch fails to apply (apimachinery's NewGenericServerResponse for 422).</summary>
    public const string JsonPatchNotApplied = "the server rejected our request due to an error in our request";
}
