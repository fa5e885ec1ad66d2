using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.Changes;

/// <summary>The two patch types the plugin writes; both are what a GitOps user could write by hand.</summary>
public enum PatchKind
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,
}

/// <summary>One patch of a WebApp, its body as compact JSON.</summary>
public sealed record WebAppPatch(PatchKind Kind, string Body)
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public V1Patch ToV1Patch() =>
        new(Body, Kind == PatchKind.Merge ? V1Patch.PatchType.MergePatch : V1Patch.PatchType.JsonPatch);

    internal static WebAppPatch Merge(JsonNode body) => new(PatchKind.Merge, body.ToJsonString(Compact));

    internal static WebAppPatch Json(JsonArray operations) => new(PatchKind.Json, operations.ToJsonString(Compact));

    /// <summary>A Kubernetes model as a JSON node, serialized as the API server expects (KubernetesJson).</summary>
    internal static JsonNode? Node(object? value) =>
        value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));

    /// <summary>The guard of a list edit: the patch applies only to the version that was read.</summary>
    internal static JsonObject TestResourceVersion(string? resourceVersion) => new()
    {
        ["op"] = "test",
        ["path"] = "/metadata/resourceVersion",
        ["value"] = resourceVersion ?? throw new ArgumentException("the WebApp has no metadata.resourceVersion", nameof(resourceVersion)),
    };
}

/// <summary>What a command will change: the patch (null when nothing needs changing) and what to tell the user.</summary>
/// <param name="Patch">The patch to send, or null: the app is already as asked.</param>
/// <param name="Summary">What is being done, for example "Setting FOO and restarting shop"; printed before "... done".</param>
/// <param name="Outcome">What follows "done, ", for example "a new release will be created"; null: nothing.</param>
/// <param name="Notes">Extra lines printed after "done" (values set, parts a rollback left alone).</param>
public sealed record PlannedChange(WebAppPatch? Patch, string Summary, string? Outcome, IReadOnlyList<string> Notes)
{
    public static PlannedChange Nothing(string summary) => new(null, summary, null, []);
}
