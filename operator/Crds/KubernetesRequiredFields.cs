using k8s.Models;

namespace Kuroku.Operator.Crds;

/// <summary>
/// The <c>required</c> lists of the Kubernetes OpenAPI definitions of the Kubernetes models that
/// WebApp embeds (and of ObjectMeta, which render checks). KubernetesClient 21.0.8's models do not carry
/// them: their reference-typed properties are nullable-oblivious and there is no <c>required</c>
/// modifier nor Validate(); only a required value type shows (as a non-nullable property, for example
/// Condition.lastTransitionTime), and a test pins this table to that signal. The lists are those of the
/// Kubernetes OpenAPI document (io.k8s.api.core.v1.*, io.k8s.apimachinery.pkg.apis.meta.v1.*), as the
/// published JSON schemas of the kubernetes-models package state them. The schema generator refuses a
/// Kubernetes model missing here rather than guess.
/// </summary>
public static class KubernetesRequiredFields
{
    private static readonly Dictionary<Type, string[]> Table = new()
    {
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1EnvVarSource)] = [],
        [typeof(V1ConfigMapKeySelector)] = ["key"],
        [typeof(V1SecretKeySelector)] = ["key"],
        [typeof(V1ObjectFieldSelector)] = ["fieldPath"],
        [typeof(V1ResourceFieldSelector)] = ["resource"],
        [typeof(V1FileKeySelector)] = ["key", "path", "volumeName"],
        [typeof(V1EnvFromSource)] = [],
        [typeof(V1ConfigMapEnvSource)] = [],
        [typeof(V1SecretEnvSource)] = [],
        [typeof(V1LocalObjectReference)] = [],
        [typeof(V1ResourceRequirements)] = [],
        [typeof(Corev1ResourceClaim)] = ["name"],
        [typeof(V1Condition)] = ["lastTransitionTime", "message", "reason", "status", "type"],
        [typeof(V1ObjectMeta)] = [],
        [typeof(V1OwnerReference)] = ["apiVersion", "kind", "name", "uid"],
        [typeof(V1ManagedFieldsEntry)] = [],
    };

    /// <summary>Every Kubernetes model the table knows.</summary>
    public static IEnumerable<Type> KnownTypes => Table.Keys;

    /// <summary>True for the models of KubernetesClient (the k8s.Models namespace).</summary>
    public static bool IsKubernetesModel(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Assembly == typeof(V1ObjectMeta).Assembly && type.Namespace == "k8s.Models";
    }

    /// <summary>The JSON names of the required fields of a Kubernetes model.</summary>
    /// <exception cref="NotSupportedException">The model is not in the table.</exception>
    public static IReadOnlyList<string> For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Table.TryGetValue(type, out var required)
            ? required
            : throw new NotSupportedException(
                $"the required fields of the Kubernetes model {type.Name} are not known: add its OpenAPI "
                + "required list to KubernetesRequiredFields");
    }
}
