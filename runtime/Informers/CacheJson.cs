using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// How cached objects are held: as compact UTF-8 JSON, read back into KubernetesClient's models with
/// KubernetesClient's own serializer settings (its date, quantity and int-or-string converters).
/// A cached object costs its bytes, not a graph of hundreds of model objects.
/// </summary>
public static class CacheJson
{
    private static readonly Lazy<JsonSerializerOptions> Options = new(() =>
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    });

    /// <summary>KubernetesClient's own serializer settings (its converters), for code that reads or writes models directly.</summary>
    public static JsonSerializerOptions SerializerOptions => Options.Value;

    public static byte[] ToBytes(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return JsonSerializer.SerializeToUtf8Bytes(node, Options.Value);
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options.Value) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");

    public static T Deserialize<T>(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Deserialize<T>(Options.Value) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");
    }

    /// <summary>The metadata of a cached object, read without the rest of it.</summary>
    public static V1ObjectMeta MetadataOf(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<MetadataHolder>(json, Options.Value)?.Metadata ?? new V1ObjectMeta();

    public static V1ObjectMeta MetadataOf(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["metadata"] is JsonObject metadata ? Deserialize<V1ObjectMeta>(metadata) : new V1ObjectMeta();
    }

    private sealed class MetadataHolder
    {
        [JsonPropertyName("metadata")]
        public V1ObjectMeta? Metadata { get; set; }
    }
}
