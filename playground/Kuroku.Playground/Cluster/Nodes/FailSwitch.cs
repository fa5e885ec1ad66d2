using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Client;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Nodes;

/// <summary>
/// Whether a simulated pod that runs to completion exits with an error: when its Job carries the annotation
/// <see cref="Annotation"/> = "true", or the WebApp that owns that Job does (a release phase Job). Read through
/// the API when the container finishes, so annotating the WebApp before a release makes that release's phase
/// fail. The operator knows nothing of it: only this stand-in for a container's exit code reads it.
/// </summary>
public sealed class FailSwitch(KubernetesObjectClient client)
{
    public const string Annotation = "playground.kuroku.dev/fail-release";

    public static bool IsOn(V1ObjectMeta? metadata) =>
        metadata?.Annotations?.TryGetValue(Annotation, out var value) == true && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public async Task<bool> FailsAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (IsOn(pod.Metadata))
        {
            return true;
        }

        var ns = pod.Metadata.NamespaceProperty;
        if (Owners.Controller(pod.Metadata) is not { Kind: "Job" } jobRef
            || await client.GetAsync<V1Job>(ns, jobRef.Name, cancellationToken) is not { } job)
        {
            return false;
        }

        if (IsOn(job.Metadata))
        {
            return true;
        }

        return Owners.IsControlledBy(job.Metadata, WebAppApi.Group, WebAppApi.Kind)
            && await client.GetAsync<WebApp>(ns, Owners.Controller(job.Metadata)!.Name, cancellationToken) is { } app
            && IsOn(app.Metadata);
    }
}
