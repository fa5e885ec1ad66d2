using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using k8s;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>
/// The identity of a release: a short hash of what a release is made of (image, config vars, envFrom
/// sources and process commands/args). Scaling, sizes, domains, static and maintenance are not part of
/// it. The pod templates carry it, so a new release rolls the pods; the release machinery compares it.
/// </summary>
public static class ReleaseHash
{
    /// <summary>The pod-template annotation that carries the release hash.</summary>
    public const string Annotation = "kuroku.dev/release-hash";

    /// <summary>
    /// SHA-256 of the canonical JSON of the release (object keys sorted, no whitespace, absent lists
    /// equal to empty ones, processes by name), as 16 lower-case hex digits.
    /// </summary>
    public static string Compute(WebAppSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var processes = new JsonObject();
        foreach (var (name, process) in (spec.Processes ?? new Dictionary<string, ProcessSpec>())
                     .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            processes[name] = new JsonObject
            {
                ["command"] = ToNode(process?.Command ?? []),
                ["args"] = ToNode(process?.Args ?? []),
            };
        }

        var release = new JsonObject
        {
            ["image"] = spec.Image ?? "",
            ["env"] = ToNode(spec.Env ?? []),
            ["envFrom"] = ToNode(spec.EnvFrom ?? []),
            ["processes"] = processes,
        };
        return ContentHash.Of(CanonicalJson.Serialize(release));
    }

    private static JsonNode? ToNode<T>(T value) => JsonNode.Parse(KubernetesJson.Serialize(value));
}

/// <summary>Short content hashes for annotations that make a change of content roll the pods.</summary>
public static class ContentHash
{
    /// <summary>The first 8 bytes of the SHA-256 of the UTF-8 text, as 16 lower-case hex digits.</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(digest.AsSpan(0, 8));
    }
}

/// <summary>JSON with object keys in ordinal order and no whitespace: equal content, equal bytes.</summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
