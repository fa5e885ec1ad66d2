using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Storage;

/// <summary>
/// One version of an object as the store keeps it: its JSON, serialized once when it is written
/// (served as is to every GET, LIST and watch), and the few metadata fields that selectors, the
/// garbage collector and the indexes read without parsing it. Immutable.
/// A stored object costs its JSON plus a few hundred bytes; a parsed JsonNode tree would cost ten times that.
/// </summary>
public sealed class StoredObject
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private byte[]? _metadataJson;

    private StoredObject(string storageKey, JsonObject obj, byte[] json)
    {
        var metadata = obj["metadata"] as JsonObject;
        StorageKey = storageKey;
        Json = json;
        Name = metadata?["name"]?.GetValue<string>() ?? "";
        Namespace = metadata?["namespace"]?.GetValue<string>();
        Key = KeyOf(Namespace, Name);
        Uid = metadata?["uid"]?.GetValue<string>() ?? "";
        ApiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        Revision = long.TryParse(metadata?["resourceVersion"]?.GetValue<string>(), out var rv) ? rv : 0;
        Labels = LabelSet.Of(obj);
        OwnerUids = metadata?["ownerReferences"] is JsonArray refs
            ? [.. refs.Select(r => r?["uid"]?.GetValue<string>()).OfType<string>()]
            : [];
        Terminating = metadata?["deletionTimestamp"] is not null;
    }

    /// <summary>group/plural: the versions of one resource share it.</summary>
    public string StorageKey { get; }

    /// <summary>"namespace/name", or "name" for a cluster-scoped object: the order of LISTs, as etcd's keys.</summary>
    public string Key { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public string Uid { get; }

    public string ApiVersion { get; }

    public long Revision { get; }

    public LabelSet Labels { get; }

    public IReadOnlyList<string> OwnerUids { get; }

    public bool Terminating { get; }

    /// <summary>The object's JSON, UTF-8. Never modified.</summary>
    public byte[] Json { get; }

    /// <summary>The JSON of metadata alone (for PartialObjectMetadata), computed once on first use.</summary>
    public byte[] MetadataJson => _metadataJson ??= Serialize(ToNode()["metadata"] ?? new JsonObject());

    public static string KeyOf(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    /// <summary>Serializes <paramref name="obj"/> (which the caller must not use afterwards) into a stored object.</summary>
    public static StoredObject From(string storageKey, JsonObject obj) => new(storageKey, obj, Serialize(obj));

    /// <summary>A fresh, mutable parse of the JSON: callers may change it freely.</summary>
    public JsonObject ToNode() => (JsonObject)JsonNode.Parse(Json)!;

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
