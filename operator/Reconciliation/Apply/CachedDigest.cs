using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Operator.Reconciliation.Desired;

namespace Kuroku.Operator.Reconciliation.Apply;

/// <summary>
/// A field the cache keeps as a digest: <c>{"kuroku.dev/sha256": "&lt;hex&gt;"}</c> in place of the value,
/// the SHA-256 of the value's canonical JSON. The key cannot occur in real data (ConfigMap keys may not
/// contain '/'), so a digest is never mistaken for a value.
/// </summary>
public static class CachedDigest
{
    public const string Key = "kuroku.dev/sha256";

    /// <summary>The digest of a value (equal values, equal digests, whatever their key order).</summary>
    public static string Of(JsonNode? value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(value))));

    /// <summary>The digest of a value read from a document.</summary>
    public static string Of(JsonElement value) => Of(JsonNode.Parse(value.GetRawText()));

    /// <summary>The digest a cached field holds, or null when it holds a value.</summary>
    public static string? In(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Count() == 1 && element.TryGetProperty(Key, out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The digest a cached field holds, or null when it holds a value.</summary>
    public static string? In(JsonNode? node) =>
        node is JsonObject { Count: 1 } obj && obj[Key] is JsonValue value && value.TryGetValue<string>(out var digest) ? digest : null;

    /// <summary>Replaces the value at a dot-separated path with its digest (nothing when the path is absent).</summary>
    public static void Replace(JsonObject root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            if (parent[part] is not JsonObject next)
            {
                return;
            }

            parent = next;
        }

        if (parent[parts[^1]] is { } value)
        {
            parent[parts[^1]] = new JsonObject { [Key] = Of(value) };
        }
    }
}
