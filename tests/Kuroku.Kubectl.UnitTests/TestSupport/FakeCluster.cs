using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Kube;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.TestSupport;

/// <summary>An in-memory cluster: records every patch, and can answer conflicts before it accepts one.</summary>
internal sealed class FakeCluster : IKurokuCluster
{
    public string DefaultNamespace { get; init; } = "shop";

    public Dictionary<(string Ns, string Name), WebApp> Apps { get; } = [];

    public Dictionary<(string Ns, string Name), V1ControllerRevision> Revisions { get; } = [];

    public List<(string Ns, string Name, WebAppPatch Patch)> Patches { get; } = [];

    /// <summary>Run before answering each patch; throw from it to refuse the patch.</summary>
    public Action<int>? BeforePatch { get; set; }

    public Task<WebApp?> GetWebAppAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Apps.TryGetValue((ns, name), out var app) ? Clone(app) : null);

    public Task<WebApp> PatchWebAppAsync(string ns, string name, WebAppPatch patch, CancellationToken cancellationToken)
    {
        Patches.Add((ns, name, patch));
        BeforePatch?.Invoke(Patches.Count);
        return Task.FromResult(Clone(Apps[(ns, name)]));
    }

    public Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Revisions.TryGetValue((ns, name), out var r) ? r : null);

    public Task<IReadOnlyList<V1ControllerRevision>> ListRevisionsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var (key, value) = (labelSelector.Split('=')[0], labelSelector.Split('=')[1]);
        IReadOnlyList<V1ControllerRevision> found = Revisions
            .Where(r => r.Key.Ns == ns && r.Value.Metadata.Labels?.TryGetValue(key, out var v) == true && v == value)
            .Select(r => r.Value)
            .ToList();
        return Task.FromResult(found);
    }

    private static WebApp Clone(WebApp app) => KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(app));
}
