using System.Text;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>
/// Reads the data of the Secrets and ConfigMaps a WebApp's config vars refer to, for its release hash:
/// only the keys the references read make the digest, and what is missing is reported with its field path.
/// </summary>
public sealed class ConfigLookup(IObjectReader cache)
{
    public ResolvedConfig Resolve(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ns = app.Metadata.NamespaceProperty;
        return ConfigReferences.Resolve(ConfigReferences.Collect(app), (kind, name) => Data(ns, kind, name));
    }

    /// <summary>The data of a referenced Secret (data, then stringData as the API server merges them) or ConfigMap.</summary>
    private Dictionary<string, byte[]>? Data(string ns, string kind, string name)
    {
        if (kind == "Secret")
        {
            if (cache.Get<V1Secret>(ns, name) is not { } secret)
            {
                return null;
            }

            var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                data[key] = Encoding.UTF8.GetBytes(value);
            }

            return data;
        }

        return cache.Get<V1ConfigMap>(ns, name) is { } map
            ? (map.Data ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal)
            : null;
    }
}
