using Kuroku.Runtime.Abstractions;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>Which queue key a change maps to (controller-runtime's <c>EnqueueRequestForOwner</c> with OnlyControllerOwner).</summary>
public static class OwnerKeys
{
    /// <summary>
    /// The key of the object's controller owner when that owner is of the given kind and API group;
    /// null when it has none, or it is controlled by something else. Owners of namespaced objects live
    /// in the same namespace.
    /// </summary>
    public static ObjectKey? ControllerOwner(V1ObjectMeta? metadata, string ownerGroup, string ownerKind)
    {
        var owner = metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null || owner.Kind != ownerKind || GroupOf(owner.ApiVersion) != ownerGroup || string.IsNullOrEmpty(owner.Name))
        {
            return null;
        }

        return new ObjectKey(string.IsNullOrEmpty(metadata!.NamespaceProperty) ? null : metadata.NamespaceProperty, owner.Name);
    }

    /// <summary>The group of an apiVersion: <c>apps</c> for <c>apps/v1</c>, empty for <c>v1</c>.</summary>
    public static string GroupOf(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return "";
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
