using k8s;
using k8s.Models;

namespace Kuroku.Playground.Tests.Cluster;

/// <summary>Objects as the API server would hand them to a controller.</summary>
internal static class Objects
{
    public static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static V1Deployment Deployment(int? replicas = 2, string image = "ghcr.io/acme/hello:1.0.0", string? strategy = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "hello-web", NamespaceProperty = "default", Uid = "d-uid", Generation = 3 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "hello" } },
            Strategy = strategy is null ? null : new V1DeploymentStrategy { Type = strategy },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "hello" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
            },
        },
    };

    /// <summary>A ReplicaSet as the Deployment controller made it, with pods as the ReplicaSet controller counted them.</summary>
    public static V1ReplicaSet ReplicaSetOf(V1Deployment deployment, int revision, int replicas, int available, string? hash = null)
    {
        hash ??= Workloads.Hash(deployment);
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        template.Metadata.Labels[Workloads.HashLabel] = hash;
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                NamespaceProperty = "default",
                Uid = "rs-" + hash,
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = revision.ToString() },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment.Metadata.Name, Uid = deployment.Metadata.Uid, Controller = true }],
            },
            Spec = new V1ReplicaSetSpec { Replicas = replicas, Template = template, Selector = deployment.Spec.Selector },
            Status = new V1ReplicaSetStatus { Replicas = replicas, ReadyReplicas = available, AvailableReplicas = available },
        };
    }

    public static V1Pod Pod(string name, string phase = "Pending", bool ready = false, DateTime? created = null, string restartPolicy = "Always") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, CreationTimestamp = created ?? Now, Labels = new Dictionary<string, string> { ["app"] = "hello" } },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            InitContainers = [new V1Container { Name = "init", Image = "busybox" }],
            Containers = [new V1Container { Name = "web", Image = "ghcr.io/acme/hello:1.0.0" }, new V1Container { Name = "router", Image = "nginx" }],
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            QosClass = "Burstable",
            Conditions = ready ? [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = created ?? Now }] : null,
        },
    };
}

/// <summary>Short names for the code under test.</summary>
internal static class Workloads
{
    public const string HashLabel = Kuroku.Playground.Cluster.Workloads.PodTemplateHash.Label;

    public static string Hash(V1Deployment deployment) => Kuroku.Playground.Cluster.Workloads.PodTemplateHash.Of(deployment.Spec.Template);
}
