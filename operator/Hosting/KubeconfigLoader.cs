using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Kuroku.Operator.Hosting;

/// <summary>
/// Loads the client configuration <c>run</c> uses: the in-cluster service account, or a kubeconfig file.
/// A single kubeconfig file is read here, into the client's own kubeconfig model, with a YAML deserializer
/// that knows only that model. The client's loader goes through its general YAML serializer, whose first use
/// reflects over every Kubernetes model type: measured in a bare process, loading a kubeconfig that way cost
/// 34 MiB of RSS (6 MB of it managed heap), for the life of the operator. What follows is the client's:
/// <see cref="KubernetesClientConfiguration.BuildConfigFromConfigObject"/> picks the context, resolves paths
/// relative to the file, and sets up exec plugins and auth providers. Several files in $KUBECONFIG (merged by
/// the client) are left to the client's loader.
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

        var path = kubeconfig
            ?? (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable ? variable : KubernetesClientConfiguration.KubeConfigDefaultLocation);
        if (kubeconfig is null && path.Contains(Path.PathSeparator, StringComparison.Ordinal))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context);
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigObject(Read(new FileInfo(path)), context);
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
