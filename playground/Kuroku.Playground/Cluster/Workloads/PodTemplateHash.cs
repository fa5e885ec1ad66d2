using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Workloads;

/// <summary>
/// The pod-template-hash label the Deployment controller puts on a ReplicaSet and its pods: FNV-1a (32 bits) of
/// the pod template, written with the same alphabet as Kubernetes' rand.SafeEncodeString (no vowels, no 0/1/3).
/// The bytes hashed are the template's canonical JSON (keys sorted), not Go's printing of it, so the value is
/// stable and changes with the template, as the real one does, but is not the value a real cluster computes.
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string Alphanumerics = "bcdfghjklmnpqrstvwxz2456789";

    public static string Of(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var node = JsonNode.Parse(KubernetesJson.Serialize(template))!;
        (node["metadata"]?["labels"] as JsonObject)?.Remove(Label);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(node)?.ToJsonString() ?? "null"))
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return new string([.. hash.ToString(CultureInfo.InvariantCulture).Select(c => Alphanumerics[c % Alphanumerics.Length])]);
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
