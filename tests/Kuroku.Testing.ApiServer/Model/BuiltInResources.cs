namespace Kuroku.Testing.ApiServer.Model;

/// <summary>The built-in resources the server serves without a CRD.</summary>
public static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("namespaces", "Namespace", namespaced: false, status: true, shortNames: ["ns"],
            columns: [new("Status", "string", ".status.phase")]),
        Core("configmaps", "ConfigMap", shortNames: ["cm"], columns: [new("Data", "string", ".data", Format: "count")]),
        Core("secrets", "Secret", columns: [new("Type", "string", ".type")]),
        Core("services", "Service", status: true, shortNames: ["svc"], categories: ["all"],
            columns: [new("Type", "string", ".spec.type"), new("Cluster-IP", "string", ".spec.clusterIP")]),
        Core("events", "Event", shortNames: ["ev"],
            columns: [new("Type", "string", ".type"), new("Reason", "string", ".reason"), new("Message", "string", ".message")]),
        Core("pods", "Pod", status: true, shortNames: ["po"], categories: ["all"], columns: [new("Status", "string", ".status.phase")]),
        Core("serviceaccounts", "ServiceAccount", shortNames: ["sa"]),
        Core("endpoints", "Endpoints", shortNames: ["ep"]),
        Core("persistentvolumeclaims", "PersistentVolumeClaim", status: true, shortNames: ["pvc"]),
        Of("apps", "v1", "deployments", "Deployment", status: true, scale: true, shortNames: ["deploy"], categories: ["all"],
            columns:
            [
                new("Ready", "string", ".status.readyReplicas", Format: "ready"),
                new("Up-to-date", "integer", ".status.updatedReplicas"),
                new("Available", "integer", ".status.availableReplicas"),
            ]),
        Of("apps", "v1", "replicasets", "ReplicaSet", status: true, scale: true, shortNames: ["rs"], categories: ["all"]),
        Of("apps", "v1", "statefulsets", "StatefulSet", status: true, scale: true, shortNames: ["sts"], categories: ["all"]),
        Of("apps", "v1", "controllerrevisions", "ControllerRevision", columns: [new("Revision", "integer", ".revision")]),
        Of("networking.k8s.io", "v1", "ingresses", "Ingress", status: true, shortNames: ["ing"],
            columns: [new("Class", "string", ".spec.ingressClassName"), new("Hosts", "string", ".spec.rules[*].host")]),
        Of("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced: false),
        Of("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", shortNames: ["netpol"]),
        Of("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", status: true, shortNames: ["hpa"], categories: ["all"],
            columns: [new("Reference", "string", ".spec.scaleTargetRef.name"), new("Minpods", "integer", ".spec.minReplicas"), new("Maxpods", "integer", ".spec.maxReplicas")]),
        Of("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", status: true, shortNames: ["pdb"],
            columns: [new("Min Available", "string", ".spec.minAvailable"), new("Max Unavailable", "string", ".spec.maxUnavailable")]),
        Of("batch", "v1", "jobs", "Job", status: true, categories: ["all"],
            columns: [new("Succeeded", "integer", ".status.succeeded")]),
        Of("batch", "v1", "cronjobs", "CronJob", status: true, shortNames: ["cj"], categories: ["all"],
            columns:
            [
                new("Schedule", "string", ".spec.schedule"),
                new("Timezone", "string", ".spec.timeZone", Format: "optional"),
                new("Suspend", "string", ".spec.suspend", Format: "optional"),
                new("Last Schedule", "date", ".status.lastScheduleTime", Format: "optional"),
            ]),
        Of("coordination.k8s.io", "v1", "leases", "Lease", columns: [new("Holder", "string", ".spec.holderIdentity")]),
        Of("events.k8s.io", "v1", "events", "Event", shortNames: ["ev"]),
        Of("rbac.authorization.k8s.io", "v1", "roles", "Role"),
        Of("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
        Of("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false),
        Of("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false),
        Of("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", namespaced: false),
        Of("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", namespaced: false),
        Of("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, status: true,
            shortNames: ["crd", "crds"], columns: [new("Created At", "date", ".metadata.creationTimestamp")]),
    ];

    private static ResourceType Core(
        string plural, string kind, bool namespaced = true, bool status = false,
        string[]? shortNames = null, string[]? categories = null, PrinterColumn[]? columns = null) =>
        Of("", "v1", plural, kind, namespaced, status, scale: false, shortNames, categories, columns);

    private static ResourceType Of(
        string group, string version, string plural, string kind, bool namespaced = true, bool status = false, bool scale = false,
        string[]? shortNames = null, string[]? categories = null, PrinterColumn[]? columns = null) => new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Kind = kind,
            Namespaced = namespaced,
            HasStatus = status,
            Scale = scale ? new ScaleSubresource(".spec.replicas", ".status.replicas", ".spec.selector") : null,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Columns = columns ?? [],
        };
}
