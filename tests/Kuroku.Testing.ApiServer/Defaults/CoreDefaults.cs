using System.Text.Json.Nodes;
using static Kuroku.Testing.ApiServer.Defaults.Fields;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>
/// kube-apiserver's defaults for the core/v1 kinds (pkg/apis/core/v1/defaults.go and the generated
/// walk in zz_generated.defaults.go), one function per kind. ConfigMap, Event, ServiceAccount have none
/// that show on the wire (SetDefaults_ConfigMap only makes an empty data map, which is omitted).
/// </summary>
public static class CoreDefaults
{
    /// <summary>SetDefaults_Namespace (the kubernetes.io/metadata.name label) and SetDefaults_NamespaceStatus (phase Active).</summary>
    public static void Namespace(JsonObject ns)
    {
        var metadata = Struct(ns, "metadata");
        if (String(metadata["name"]) is { Length: > 0 } name)
        {
            Struct(metadata, "labels")["kubernetes.io/metadata.name"] = name;
        }

        DefaultString(Struct(ns, "status"), "phase", "Active");
    }

    /// <summary>SetDefaults_Secret: type Opaque.</summary>
    public static void Secret(JsonObject secret) => DefaultString(secret, "type", "Opaque");

    /// <summary>
    /// SetDefaults_Service: sessionAffinity None (and no sessionAffinityConfig with it), a ClientIP
    /// timeout of 10800 s, type ClusterIP, port protocol TCP and targetPort = port, externalTrafficPolicy
    /// Cluster when externally reachable, internalTrafficPolicy Cluster except for ExternalName,
    /// allocateLoadBalancerNodePorts true and ingress ipMode VIP for LoadBalancer.
    /// (The cluster IPs, IP families and node ports are allocated by the registry, not defaulted.)
    /// </summary>
    public static void Service(JsonObject service)
    {
        var spec = Struct(service, "spec");
        DefaultString(spec, "sessionAffinity", "None");
        var affinity = String(spec["sessionAffinity"]);
        if (affinity == "None")
        {
            spec.Remove("sessionAffinityConfig");
        }
        else if (affinity == "ClientIP" && spec["sessionAffinityConfig"]?["clientIP"]?["timeoutSeconds"] is null)
        {
            spec["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = 10800 } };
        }

        DefaultString(spec, "type", "ClusterIP");
        var type = String(spec["type"]);
        foreach (var port in Items(spec, "ports"))
        {
            DefaultString(port, "protocol", "TCP");
            if (IsEmptyString(port["targetPort"]) || IsZero(port["targetPort"]))
            {
                port["targetPort"] = port["port"]?.DeepClone();
            }
        }

        // service.ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with externalIPs.
        var external = type is "LoadBalancer" or "NodePort" || (type == "ClusterIP" && spec["externalIPs"] is JsonArray { Count: > 0 });
        if (external)
        {
            DefaultString(spec, "externalTrafficPolicy", "Cluster");
        }

        if (type is "NodePort" or "LoadBalancer" or "ClusterIP")
        {
            DefaultPointer(spec, "internalTrafficPolicy", () => "Cluster");
        }

        if (type == "LoadBalancer")
        {
            DefaultPointer(spec, "allocateLoadBalancerNodePorts", () => true);
            foreach (var ingress in Items(Child(Child(service, "status") ?? [], "loadBalancer"), "ingress"))
            {
                if (!IsEmptyString(ingress["ip"]))
                {
                    DefaultPointer(ingress, "ipMode", () => "VIP");
                }
            }
        }
    }

    /// <summary>
    /// SetDefaults_Pod (container requests default to their limits, enableServiceLinks true, host ports
    /// under hostNetwork) then the pod spec's defaults.
    /// </summary>
    public static void Pod(JsonObject pod)
    {
        var spec = Struct(pod, "spec");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in Items(spec, list))
            {
                if (Child(container, "resources") is { } resources && Child(resources, "limits") is { } limits)
                {
                    var requests = Struct(resources, "requests");
                    foreach (var (name, value) in limits)
                    {
                        if (!requests.ContainsKey(name))
                        {
                            requests[name] = value?.DeepClone();
                        }
                    }
                }
            }
        }

        DefaultPointer(spec, "enableServiceLinks", () => true);
        if (spec["hostNetwork"]?.GetValue<bool>() == true)
        {
            foreach (var list in new[] { "containers", "initContainers" })
            {
                foreach (var port in Items(spec, list).SelectMany(c => Items(c, "ports")))
                {
                    if (IsZero(port["hostPort"]))
                    {
                        port["hostPort"] = port["containerPort"]?.DeepClone();
                    }
                }
            }
        }

        PodSpecDefaults.Spec(spec);
    }

    /// <summary>SetDefaults_PersistentVolumeClaim (status phase Pending) and its spec's (volumeMode Filesystem).</summary>
    public static void PersistentVolumeClaim(JsonObject claim)
    {
        DefaultString(Struct(claim, "status"), "phase", "Pending");
        DefaultPointer(Struct(claim, "spec"), "volumeMode", () => "Filesystem");
    }

    /// <summary>SetDefaults_Endpoints: port protocol TCP.</summary>
    public static void Endpoints(JsonObject endpoints)
    {
        foreach (var port in Items(endpoints, "subsets").SelectMany(s => Items(s, "ports")))
        {
            DefaultString(port, "protocol", "TCP");
        }
    }
}
