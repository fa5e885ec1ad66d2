using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kuroku.Benchmarks.Micro;

/// <summary>
/// A desired child as kube-apiserver would return it: the fields the server sets and defaults
/// (uid, resourceVersion, managedFields, a Deployment's progressDeadlineSeconds and pod defaults, a
/// Service's clusterIP and families, statuses). The live copy a reconcile compares against. Pure.
/// </summary>
public static class ServerDefaults
{
    public static IKubernetesObject<V1ObjectMeta> Apply(IKubernetesObject<V1ObjectMeta> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var live = JsonNode.Parse(KubernetesJson.Serialize(desired))!.AsObject();
        var meta = live["metadata"]!.AsObject();
        meta["uid"] = "7d9e1f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
        meta["resourceVersion"] = "123456";
        meta["generation"] = 1;
        meta["creationTimestamp"] = "2025-01-01T00:00:00Z";
        meta["managedFields"] = new JsonArray(new JsonObject
        {
            ["manager"] = "kuroku-operator",
            ["operation"] = "Update",
            ["apiVersion"] = live["apiVersion"]?.DeepClone(),
            ["time"] = "2025-01-01T00:00:00Z",
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject { ["f:labels"] = new JsonObject(), ["f:ownerReferences"] = new JsonObject() }, ["f:spec"] = new JsonObject() },
        });

        switch (desired)
        {
            case V1Deployment:
                Deployment(live);
                return KubernetesJson.Deserialize<V1Deployment>(live.ToJsonString());
            case V1Service:
                Service(live);
                return KubernetesJson.Deserialize<V1Service>(live.ToJsonString());
            case V1ConfigMap:
                return KubernetesJson.Deserialize<V1ConfigMap>(live.ToJsonString());
            case V1Ingress:
                live["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                return KubernetesJson.Deserialize<V1Ingress>(live.ToJsonString());
            case V1PodDisruptionBudget:
                live["status"] = new JsonObject { ["currentHealthy"] = 0, ["desiredHealthy"] = 1, ["disruptionsAllowed"] = 0, ["expectedPods"] = 0, ["observedGeneration"] = 1 };
                return KubernetesJson.Deserialize<V1PodDisruptionBudget>(live.ToJsonString());
            case V2HorizontalPodAutoscaler:
                live["status"] = new JsonObject { ["currentReplicas"] = 2, ["desiredReplicas"] = 2 };
                return KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(live.ToJsonString());
            default:
                throw new ArgumentException($"no server defaults for {desired.GetType().Name}", nameof(desired));
        }
    }

    private static void Deployment(JsonObject live)
    {
        var spec = live["spec"]!.AsObject();
        spec["progressDeadlineSeconds"] ??= 600;
        spec["revisionHistoryLimit"] ??= 10;
        spec["replicas"] ??= 1;
        if (spec["strategy"] is not JsonObject strategy)
        {
            strategy = [];
            spec["strategy"] = strategy;
        }

        strategy["type"] ??= "RollingUpdate";
        if (strategy["rollingUpdate"] is not JsonObject rolling)
        {
            rolling = [];
            strategy["rollingUpdate"] = rolling;
        }

        rolling["maxSurge"] ??= "25%";
        rolling["maxUnavailable"] ??= "25%";
        var pod = spec["template"]!["spec"]!.AsObject();
        pod["dnsPolicy"] ??= "ClusterFirst";
        pod["restartPolicy"] ??= "Always";
        pod["schedulerName"] ??= "default-scheduler";
        pod["securityContext"] ??= new JsonObject();
        pod["terminationGracePeriodSeconds"] ??= 30;
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var c in pod[list]?.AsArray().OfType<JsonObject>() ?? [])
            {
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                c["imagePullPolicy"] ??= "IfNotPresent";
                foreach (var port in c["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    port["protocol"] ??= "TCP";
                }

                foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
                {
                    if (c[probe] is JsonObject p)
                    {
                        p["timeoutSeconds"] ??= 1;
                        p["periodSeconds"] ??= 10;
                        p["successThreshold"] ??= 1;
                        p["failureThreshold"] ??= 3;
                        if (p["httpGet"] is JsonObject http)
                        {
                            http["scheme"] ??= "HTTP";
                        }
                    }
                }
            }
        }

        live["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 1, ["updatedReplicas"] = 1, ["readyReplicas"] = 1, ["availableReplicas"] = 1 };
    }

    private static void Service(JsonObject live)
    {
        var spec = live["spec"]!.AsObject();
        spec["clusterIP"] ??= "10.96.12.34";
        spec["clusterIPs"] ??= new JsonArray("10.96.12.34");
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
        spec["sessionAffinity"] ??= "None";
        spec["type"] ??= "ClusterIP";
        spec["internalTrafficPolicy"] ??= "Cluster";
        foreach (var port in spec["ports"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
        }

        live["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }
}
