using Kuroku.Runtime.Client;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster;

/// <summary>Owner references, as the built-in controllers set and read them.</summary>
public static class Owners
{
    /// <summary>The one controller reference a controller puts on what it creates (garbage collection follows it).</summary>
    public static V1OwnerReference ControllerReference<T>(T owner)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(owner);
        var type = ResourceType.Of(owner.GetType());
        return new V1OwnerReference
        {
            ApiVersion = type.ApiVersion,
            Kind = type.Kind,
            Name = owner.Metadata.Name,
            Uid = owner.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>The controller reference of an object, or null.</summary>
    public static V1OwnerReference? Controller(V1ObjectMeta? metadata) =>
        metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>Whether the object's controller is the owner with this uid.</summary>
    public static bool IsControlledBy(V1ObjectMeta? metadata, string? uid) =>
        uid is not null && Controller(metadata)?.Uid == uid;

    /// <summary>Whether the object's controller is of this kind in this API group.</summary>
    public static bool IsControlledBy(V1ObjectMeta? metadata, string group, string kind) =>
        Controller(metadata) is { } owner && owner.Kind == kind && Runtime.Informers.OwnerKeys.GroupOf(owner.ApiVersion) == group;
}
