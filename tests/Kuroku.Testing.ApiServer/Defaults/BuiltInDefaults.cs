using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>
/// Which defaulting function applies to which built-in resource (by storage key, group/plural). The API
/// server applies it to every object it decodes from a request: create, update, patch, apply, so a client
/// that writes an object without a default gets it back with the default, every time.
/// </summary>
public static class BuiltInDefaults
{
    private static readonly FrozenDictionary<string, Action<JsonObject>> ByResource = new Dictionary<string, Action<JsonObject>>(StringComparer.Ordinal)
    {
        ["/namespaces"] = CoreDefaults.Namespace,
        ["/secrets"] = CoreDefaults.Secret,
        ["/services"] = CoreDefaults.Service,
        ["/pods"] = CoreDefaults.Pod,
        ["/persistentvolumeclaims"] = CoreDefaults.PersistentVolumeClaim,
        ["/endpoints"] = CoreDefaults.Endpoints,
        ["apps/deployments"] = AppsDefaults.Deployment,
        ["apps/replicasets"] = AppsDefaults.ReplicaSet,
        ["apps/statefulsets"] = AppsDefaults.StatefulSet,
        ["apps/daemonsets"] = AppsDefaults.DaemonSet,
        ["batch/jobs"] = BatchDefaults.Job,
        ["batch/cronjobs"] = BatchDefaults.CronJob,
        ["autoscaling/horizontalpodautoscalers"] = AutoscalingDefaults.HorizontalPodAutoscaler,
        ["apiextensions.k8s.io/customresourcedefinitions"] = ApiExtensionsDefaults.CustomResourceDefinition,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Applies the resource's defaults to <paramref name="obj"/> (nothing for resources without any).</summary>
    public static void Apply(string storageKey, JsonObject obj)
    {
        if (ByResource.TryGetValue(storageKey, out var defaults))
        {
            defaults(obj);
        }
    }
}
