using System.Collections.Concurrent;
using System.Reflection;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Client;

/// <summary>
/// Where a type lives on the API server, read from its <see cref="KubernetesEntityAttribute"/>:
/// group (empty for core), version, kind and plural. Built-in models and WebApp carry the attribute.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural)
{
    private static readonly ConcurrentDictionary<Type, ResourceType> Known = new();

    /// <summary>apiVersion as written in objects: <c>v1</c> for core, <c>group/version</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>A name for logs and metrics: <c>deployments.apps</c>, <c>services</c>, <c>webapps.kuroku.dev</c>.</summary>
    public string Resource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The collection path, in a namespace or across the cluster.</summary>
    public string CollectionPath(string? @namespace)
    {
        var prefix = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        return @namespace is null
            ? $"{prefix}/{Plural}"
            : $"{prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}";
    }

    public static ResourceType Of<T>() => Of(typeof(T));

    public static ResourceType Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Known.GetOrAdd(type, static t =>
        {
            var entity = t.GetCustomAttribute<KubernetesEntityAttribute>()
                ?? throw new InvalidOperationException($"{t.Name} has no [KubernetesEntity] attribute; the runtime cannot tell where it lives on the API server.");
            if (string.IsNullOrEmpty(entity.ApiVersion) || string.IsNullOrEmpty(entity.Kind) || string.IsNullOrEmpty(entity.PluralName))
            {
                throw new InvalidOperationException($"{t.Name}'s [KubernetesEntity] attribute must set ApiVersion, Kind and PluralName.");
            }

            return new ResourceType(entity.Group ?? "", entity.ApiVersion, entity.Kind, entity.PluralName);
        });
    }

    /// <summary>Lists omit apiVersion and kind on their items; put them back.</summary>
    public void Stamp(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (string.IsNullOrEmpty(obj.ApiVersion))
        {
            obj.ApiVersion = ApiVersion;
        }

        if (string.IsNullOrEmpty(obj.Kind))
        {
            obj.Kind = Kind;
        }
    }
}
