using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>
/// What the release hash needs of the Secrets and ConfigMaps a WebApp's config vars refer to: the digest
/// of each key's value. Their data is never cached: the informers keep their metadata alone (which
/// says when one changes: a new resourceVersion), and the data of a referenced object is read from the
/// server when its resourceVersion is new to this lookup; only the per-key digests are remembered, for
/// the referenced objects only.
/// </summary>
public sealed class ConfigLookup(IObjectReader cache, IObjectWriter client)
{
    private readonly ConcurrentDictionary<(string Kind, string Namespace, string Name), Digests> digests = new();

    /// <summary>The digest of the referenced data and what is missing, for the release hash.</summary>
    public async Task<ResolvedConfig> ResolveAsync(WebApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ns = app.Metadata.NamespaceProperty;
        var references = ConfigReferences.Collect(app);
        var found = new Dictionary<(string Kind, string Name), IReadOnlyDictionary<string, string>?>();
        foreach (var (kind, name) in references.Select(r => (r.Kind, r.Name)).Distinct())
        {
            found[(kind, name)] = await DigestsAsync(kind, ns, name, cancellationToken);
        }

        return ConfigReferences.Resolve(references, (kind, name) => found[(kind, name)]);
    }

    private async Task<IReadOnlyDictionary<string, string>?> DigestsAsync(string kind, string ns, string name, CancellationToken cancellationToken)
    {
        var key = (kind, ns, name);
        var metadata = kind == "Secret" ? cache.GetMetadata<V1Secret>(ns, name) : cache.GetMetadata<V1ConfigMap>(ns, name);
        if (metadata is null)
        {
            digests.TryRemove(key, out _);
            return null;
        }

        if (digests.TryGetValue(key, out var known) && known.ResourceVersion == metadata.ResourceVersion && known.Uid == metadata.Uid)
        {
            return known.ByKey;
        }

        var read = kind == "Secret"
            ? await client.GetAsync<V1Secret>(ns, name, cancellationToken) is { } secret ? Of(secret.Metadata, SecretData(secret)) : null
            : await client.GetAsync<V1ConfigMap>(ns, name, cancellationToken) is { } map ? Of(map.Metadata, ConfigMapData(map)) : null;
        if (read is null)
        {
            digests.TryRemove(key, out _);
            return null;
        }

        // Remembered under the version the cache shows, so that the next lookup of the same version is free.
        digests[key] = read with { ResourceVersion = metadata.ResourceVersion, Uid = metadata.Uid };
        return read.ByKey;
    }

    private static Digests Of(V1ObjectMeta metadata, IEnumerable<KeyValuePair<string, byte[]>> data) =>
        new(metadata.Uid, metadata.ResourceVersion, data.ToDictionary(kv => kv.Key, kv => ConfigReferences.KeyDigest(kv.Value), StringComparer.Ordinal));

    /// <summary>A Secret's data, then its stringData as the API server merges them.</summary>
    private static Dictionary<string, byte[]> SecretData(V1Secret secret)
    {
        var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }

        return data;
    }

    private static IEnumerable<KeyValuePair<string, byte[]>> ConfigMapData(V1ConfigMap map) =>
        (map.Data ?? new Dictionary<string, string>()).Select(kv => KeyValuePair.Create(kv.Key, Encoding.UTF8.GetBytes(kv.Value)));

    private sealed record Digests(string? Uid, string? ResourceVersion, IReadOnlyDictionary<string, string> ByKey);
}
