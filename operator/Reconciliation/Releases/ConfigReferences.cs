using System.Security.Cryptography;
using System.Text;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>A Secret or ConfigMap that the config vars read, and where the spec refers to it.</summary>
/// <param name="Kind">"Secret" or "ConfigMap".</param>
/// <param name="Name">The object's name, in the app's namespace.</param>
/// <param name="Key">The one key read (env valueFrom), or null for all of it (envFrom).</param>
/// <param name="Optional">The reference is marked optional: its absence is fine.</param>
/// <param name="FieldPath">Where in the spec, for messages.</param>
public sealed record ConfigReference(string Kind, string Name, string? Key, bool Optional, string FieldPath);

/// <summary>The data the config refers to, as seen now: a digest for the release hash (null when it refers to nothing), and what is missing.</summary>
public sealed record ResolvedConfig(string? Digest, IReadOnlyList<string> Missing);

/// <summary>Pure: which Secrets and ConfigMaps a WebApp's config vars read, and a digest of their data.</summary>
public static class ConfigReferences
{
    /// <summary>The digest of one key's value, as the release hash takes it: upper-case hex SHA-256.</summary>
    public static string KeyDigest(ReadOnlySpan<byte> value) => Convert.ToHexString(SHA256.HashData(value));

    public static IReadOnlyList<ConfigReference> Collect(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var refs = new List<ConfigReference>();
        var env = app.Spec.Env ?? [];
        for (var i = 0; i < env.Count; i++)
        {
            var from = env[i].ValueFrom;
            if (from?.SecretKeyRef is { } s)
            {
                refs.Add(new("Secret", s.Name, s.Key, s.Optional == true, $"spec.env[{i}].valueFrom.secretKeyRef"));
            }
            else if (from?.ConfigMapKeyRef is { } c)
            {
                refs.Add(new("ConfigMap", c.Name, c.Key, c.Optional == true, $"spec.env[{i}].valueFrom.configMapKeyRef"));
            }
        }

        var envFrom = app.Spec.EnvFrom ?? [];
        for (var i = 0; i < envFrom.Count; i++)
        {
            if (envFrom[i].SecretRef is { } s)
            {
                refs.Add(new("Secret", s.Name, null, s.Optional == true, $"spec.envFrom[{i}].secretRef"));
            }
            else if (envFrom[i].ConfigMapRef is { } c)
            {
                refs.Add(new("ConfigMap", c.Name, null, c.Optional == true, $"spec.envFrom[{i}].configMapRef"));
            }
        }

        return refs;
    }

    /// <summary>
    /// The digest of exactly the data the references read (one key, or the whole object), and the
    /// references that cannot be satisfied. <paramref name="lookup"/> returns, for an object, the digest of
    /// each of its keys' values (<see cref="KeyDigest"/> of the Secret's bytes or the ConfigMap's UTF-8
    /// text), or null when it does not exist: the data itself is never needed.
    /// </summary>
    public static ResolvedConfig Resolve(
        IReadOnlyList<ConfigReference> refs, Func<string, string, IReadOnlyDictionary<string, string>?> lookup)
    {
        ArgumentNullException.ThrowIfNull(refs);
        ArgumentNullException.ThrowIfNull(lookup);
        var missing = new List<string>();
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in refs)
        {
            var data = lookup(r.Kind, r.Name);
            if (data is null)
            {
                if (!r.Optional)
                {
                    missing.Add($"{r.FieldPath}: {r.Kind} \"{r.Name}\" not found");
                }

                continue;
            }

            foreach (var (key, valueDigest) in data)
            {
                if (r.Key is null || r.Key == key)
                {
                    lines.Add($"{r.Kind}/{r.Name}/{key}={valueDigest}");
                }
            }

            if (r.Key is not null && !data.ContainsKey(r.Key) && !r.Optional)
            {
                missing.Add($"{r.FieldPath}: key \"{r.Key}\" not found in {r.Kind} \"{r.Name}\"");
            }
        }

        if (refs.Count == 0)
        {
            return new ResolvedConfig(null, missing);
        }

        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines)))).ToLowerInvariant();
        return new ResolvedConfig(digest, missing);
    }
}
