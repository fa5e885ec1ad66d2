using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Kuroku.Operator.Hosting;

/// <summary>
/// Loads the client configuration <c>run</c> uses: the in-cluster service account, or a kubeconfig file.
/// A kubeconfig is read here, into the client's own kubeconfig model, with a YAML deserializer
/// that knows only that model. The client's loader goes through its general YAML serializer, whose first use
/// reflects over every Kubernetes model type: measured in a bare process, loading a kubeconfig that way cost
/// 34 MiB of RSS (6 MB of it managed heap), for the life of the operator. What follows is the client's:
/// <see cref="KubernetesClientConfiguration.BuildConfigFromConfigObject"/> picks the context, resolves paths
/// relative to the file, and sets up exec plugins and auth providers. Without --kubeconfig, $KUBECONFIG is
/// honoured, a list of files included (the client's own loader read only ~/.kube/config).
/// </summary>
public static class KubeconfigLoader
{
    private static readonly Lazy<IDeserializer> Deserializer = new(() => new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build());

    /// <summary>The configuration for <paramref name="kubeconfig"/> (null: in cluster if there, else $KUBECONFIG or ~/.kube/config).</summary>
    public static KubernetesClientConfiguration Load(string? kubeconfig, string? context)
    {
        if (kubeconfig is null && KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var config = kubeconfig is not null
            ? Read(new FileInfo(kubeconfig))
            : Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable
                ? ReadList(variable)
                : Read(new FileInfo(KubernetesClientConfiguration.KubeConfigDefaultLocation));
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }

    /// <summary>
    /// The files of a $KUBECONFIG list, merged as kubectl merges them: files that do not exist are skipped,
    /// the first file to name a cluster, user or context wins it, and the first current-context set wins.
    /// Paths in the files are taken relative to the first one.
    /// </summary>
    public static K8SConfiguration ReadList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var named = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(p => new FileInfo(p)).ToList();
        var files = named.Count == 1 ? named : named.Where(f => f.Exists).ToList();
        if (files.Count == 0)
        {
            throw new KubeConfigException($"none of the files in $KUBECONFIG exists: {list}");
        }

        var merged = Read(files[0]);
        foreach (var next in files.Skip(1).Select(Read))
        {
            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? next.CurrentContext : merged.CurrentContext;
            merged.Clusters = Union(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = Union(merged.Users, next.Users, u => u.Name);
            merged.Contexts = Union(merged.Contexts, next.Contexts, c => c.Name);
        }

        return merged;
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? then, Func<T, string> name)
    {
        List<T> all = [.. first ?? []];
        var names = all.Select(name).ToHashSet(StringComparer.Ordinal);
        all.AddRange((then ?? []).Where(item => names.Add(name(item))));
        return all;
    }

    /// <summary>The kubeconfig file as the client's model, its paths relative to the file (as the client's own loader reads it).</summary>
    public static K8SConfiguration Read(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.Exists)
        {
            throw new KubeConfigException($"kubeconfig file not found at {file.FullName}");
        }

        using var reader = file.OpenText();
        var config = Deserializer.Value.Deserialize<K8SConfiguration>(reader)
            ?? throw new KubeConfigException("it is empty or not a kubeconfig");
        config.FileName = file.FullName;
        return config;
    }
}
