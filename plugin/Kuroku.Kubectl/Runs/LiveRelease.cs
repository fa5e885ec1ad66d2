using System.Globalization;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Kube;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.Runs;

/// <summary>The release an app runs now (status.release), read from its record, the ControllerRevision &lt;app&gt;-v&lt;N&gt;.</summary>
public static class LiveRelease
{
    /// <summary>The live release's number, or a <see cref="CommandException"/> saying the app has none yet.</summary>
    /// <param name="app">The WebApp.</param>
    /// <param name="display">How messages name the app: "shop", or "staging/shop".</param>
    public static int Version(WebApp app, string display)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Status?.Release is { } version and > 0
            ? version
            : throw new CommandException(
                $"{display} has no live release yet (status.release is empty): the operator has not released it, or its first release phase "
                + $"has not succeeded; see kubectl kuroku releases {app.Metadata.Name} -n {app.Metadata.NamespaceProperty}");
    }

    /// <summary>What release <paramref name="version"/> of the app runs: image, config vars, process commands.</summary>
    public static async Task<ReleaseSnapshot> ReadAsync(IKurokuCluster cluster, WebApp app, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(app);
        var ns = app.Metadata.NamespaceProperty;
        var name = string.Create(CultureInfo.InvariantCulture, $"{app.Metadata.Name}-v{version}");
        var revision = await cluster.GetRevisionAsync(ns, name, cancellationToken);
        if (revision is null || revision.Metadata.Labels?.TryGetValue(ReleaseRevisions.AppLabel, out var owner) != true || owner != app.Metadata.Name)
        {
            throw new CommandException(
                $"the record of release v{version.ToString(CultureInfo.InvariantCulture)} of {app.Metadata.Name} is missing (no ControllerRevision {name} "
                + $"labelled {ReleaseRevisions.AppLabel}={app.Metadata.Name} in namespace \"{ns}\")");
        }

        return SnapshotOf(revision);
    }

    /// <summary>The release a ControllerRevision holds, or a <see cref="CommandException"/> when it holds none.</summary>
    public static ReleaseSnapshot SnapshotOf(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var name = revision.Metadata?.Name;
        try
        {
            var json = revision.Data is string s ? s : KubernetesJson.Serialize(revision.Data);
            var snapshot = KubernetesJson.Deserialize<ReleaseSnapshot>(json);
            return snapshot is not null && !string.IsNullOrEmpty(snapshot.Image)
                ? snapshot
                : throw new CommandException($"ControllerRevision {name} holds no release (data.image is empty)");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CommandException($"ControllerRevision {name} holds no readable release: {e.Message}");
        }
    }
}
