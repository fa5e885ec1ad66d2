using System.Text.Json.Nodes;
using static Kuroku.Testing.ApiServer.Defaults.Fields;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>kube-apiserver's defaults for apps/v1 (pkg/apis/apps/v1/defaults.go), one function per kind, each with its pod template's.</summary>
public static class AppsDefaults
{
    /// <summary>
    /// SetDefaults_Deployment: replicas 1, strategy RollingUpdate with maxUnavailable and maxSurge 25%
    /// (only when the type is RollingUpdate), revisionHistoryLimit 10, progressDeadlineSeconds 600.
    /// </summary>
    public static void Deployment(JsonObject deployment)
    {
        var spec = Struct(deployment, "spec");
        DefaultPointer(spec, "replicas", () => 1);
        var strategy = Struct(spec, "strategy");
        DefaultString(strategy, "type", "RollingUpdate");
        if (String(strategy["type"]) == "RollingUpdate")
        {
            var rollingUpdate = Struct(strategy, "rollingUpdate");
            DefaultPointer(rollingUpdate, "maxUnavailable", () => "25%");
            DefaultPointer(rollingUpdate, "maxSurge", () => "25%");
        }

        DefaultPointer(spec, "revisionHistoryLimit", () => 10);
        DefaultPointer(spec, "progressDeadlineSeconds", () => 600);
        PodSpecDefaults.Template(Child(spec, "template"));
    }

    /// <summary>SetDefaults_ReplicaSet: replicas 1.</summary>
    public static void ReplicaSet(JsonObject replicaSet)
    {
        var spec = Struct(replicaSet, "spec");
        DefaultPointer(spec, "replicas", () => 1);
        PodSpecDefaults.Template(Child(spec, "template"));
    }

    /// <summary>
    /// SetDefaults_StatefulSet: podManagementPolicy OrderedReady, updateStrategy RollingUpdate with partition 0,
    /// PVC retention Retain/Retain, replicas 1, revisionHistoryLimit 10; claim templates as PVCs.
    /// </summary>
    public static void StatefulSet(JsonObject statefulSet)
    {
        var spec = Struct(statefulSet, "spec");
        DefaultString(spec, "podManagementPolicy", "OrderedReady");
        var update = Struct(spec, "updateStrategy");
        if (IsEmptyString(update["type"]))
        {
            update["type"] = "RollingUpdate";
            DefaultPointer(update, "rollingUpdate", () => new JsonObject());
        }

        if (String(update["type"]) == "RollingUpdate" && Child(update, "rollingUpdate") is { } rolling)
        {
            DefaultPointer(rolling, "partition", () => 0);
        }

        var retention = Struct(spec, "persistentVolumeClaimRetentionPolicy");
        DefaultString(retention, "whenDeleted", "Retain");
        DefaultString(retention, "whenScaled", "Retain");
        DefaultPointer(spec, "replicas", () => 1);
        DefaultPointer(spec, "revisionHistoryLimit", () => 10);
        PodSpecDefaults.Template(Child(spec, "template"));
        foreach (var claim in Items(spec, "volumeClaimTemplates"))
        {
            CoreDefaults.PersistentVolumeClaim(claim);
        }
    }

    /// <summary>SetDefaults_DaemonSet: updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10.</summary>
    public static void DaemonSet(JsonObject daemonSet)
    {
        var spec = Struct(daemonSet, "spec");
        var update = Struct(spec, "updateStrategy");
        DefaultString(update, "type", "RollingUpdate");
        if (String(update["type"]) == "RollingUpdate")
        {
            var rolling = Struct(update, "rollingUpdate");
            DefaultPointer(rolling, "maxUnavailable", () => 1);
            DefaultPointer(rolling, "maxSurge", () => 0);
        }

        DefaultPointer(spec, "revisionHistoryLimit", () => 10);
        PodSpecDefaults.Template(Child(spec, "template"));
    }
}
