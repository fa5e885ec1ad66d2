using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Api.Releases;

/// <summary>
/// Releases stored as apps/v1 ControllerRevisions (the Kubernetes-native place for history): one per
/// release, named &lt;app&gt;-v&lt;N&gt;, owned by the WebApp, the snapshot as data, the phase in
/// annotations (a revision's data never changes; its phase does).
/// </summary>
public static class ReleaseRevisions
{
    public const string AppLabel = "kuroku.dev/webapp";
    public const string PhaseAnnotation = "kuroku.dev/phase";
    public const string ReasonAnnotation = "kuroku.dev/reason";
    public const string MessageAnnotation = "kuroku.dev/message";
    public const string CreatedAnnotation = "kuroku.dev/created-at";

    /// <summary>Annotation a rollback writes on the WebApp, naming the release it restores.</summary>
    public const string RollbackAnnotation = "kuroku.dev/rollback-to";

    /// <summary>
    /// Annotation a promotion (`kubectl kuroku promote`) writes on the target WebApp, naming the release it
    /// copies, for example "staging/shop v12". The release it makes says "promoted from staging/shop v12".
    /// </summary>
    public const string PromotedFromAnnotation = "kuroku.dev/promoted-from";

    /// <summary>
    /// Annotation a promotion writes beside <see cref="PromotedFromAnnotation"/>: the image it copied. Only
    /// a release that brings this image is a promotion; later releases of the same image are not.
    /// </summary>
    public const string PromotedImageAnnotation = "kuroku.dev/promoted-image";

    /// <summary>How many releases are kept; older ones are deleted (never the live one).</summary>
    public const int HistoryLimit = 10;

    public static string Name(WebApp app, int version)
    {
        ArgumentNullException.ThrowIfNull(app);
        return string.Create(CultureInfo.InvariantCulture, $"{app.Metadata.Name}-v{version}");
    }

    public static V1ControllerRevision ToRevision(WebApp app, Release release)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(release);
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [PhaseAnnotation] = release.Phase,
            [ReasonAnnotation] = release.Reason,
            [CreatedAnnotation] = release.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        if (release.Message is not null)
        {
            annotations[MessageAnnotation] = release.Message;
        }

        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(app, release.Version),
                NamespaceProperty = app.Metadata.NamespaceProperty,
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["app.kubernetes.io/instance"] = app.Metadata.Name,
                    ["app.kubernetes.io/managed-by"] = "kuroku",
                    ["app.kubernetes.io/name"] = app.Metadata.Name,
                    [AppLabel] = app.Metadata.Name,
                },
                Annotations = annotations,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = WebAppApi.ApiVersion,
                        Kind = WebAppApi.Kind,
                        Name = app.Metadata.Name,
                        Uid = app.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Revision = release.Version,
            Data = KubernetesJson.Deserialize<object>(KubernetesJson.Serialize(release.Snapshot)),
        };
    }

    /// <summary>The release a revision records, or null when it is not one of ours.</summary>
    public static Release? FromRevision(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var a = revision.Metadata.Annotations;
        if (a is null || !a.TryGetValue(PhaseAnnotation, out var phase) || revision.Data is null)
        {
            return null;
        }

        var json = revision.Data is string s ? s : KubernetesJson.Serialize(revision.Data);
        var snapshot = KubernetesJson.Deserialize<ReleaseSnapshot>(json);
        var created = a.TryGetValue(CreatedAnnotation, out var c)
            && DateTime.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : revision.Metadata.CreationTimestamp ?? DateTime.UnixEpoch;
        return new Release(
            (int)(revision.Revision ?? 0),
            snapshot,
            phase,
            a.TryGetValue(ReasonAnnotation, out var reason) ? reason : "",
            a.TryGetValue(MessageAnnotation, out var message) ? message : null,
            created)
        {
            // A snapshot always records its processes; a cache that keeps the summary alone drops them.
            Complete = JsonNode.Parse(json) is JsonObject data && data.ContainsKey("processes"),
        };
    }

    /// <summary>The status summary of the history: newest first, bounded.</summary>
    public static IList<ReleaseRecord> Summary(IEnumerable<Release> history) =>
        history.OrderByDescending(r => r.Version).Take(HistoryLimit).Select(r => new ReleaseRecord
        {
            Version = r.Version,
            Image = r.Snapshot.Image,
            ConfigHash = r.Snapshot.ConfigHash,
            Reason = r.Reason,
            Phase = r.Phase,
            Message = r.Message,
            CreatedAt = r.CreatedAt,
        }).ToList();
}
