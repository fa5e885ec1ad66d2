using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Nodes;

/// <summary>Pods as the built-in controllers make them and as the kubelet reports them (pure).</summary>
public static class Pods
{
    public const string Running = "Running";
    public const string Pending = "Pending";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>The node every simulated pod is bound to (spec.nodeName).</summary>
    public const string NodeName = "playground";

    /// <summary>The node every simulated pod runs on, as its status reports it (hostIP).</summary>
    public const string HostIp = "172.18.0.2";

    /// <summary>
    /// A pod from a controller's template: the template's labels, annotations and spec, a name the server
    /// generates from <paramref name="generateName"/>, and the controller's owner reference.
    /// </summary>
    public static V1Pod FromTemplate(V1PodTemplateSpec template, V1OwnerReference owner, string @namespace, string generateName)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = generateName,
                NamespaceProperty = @namespace,
                Labels = copy.Metadata?.Labels,
                Annotations = copy.Metadata?.Annotations,
                OwnerReferences = [owner],
            },
            Spec = copy.Spec,
        };
    }

    public static string? Phase(V1Pod pod) => pod?.Status?.Phase;

    /// <summary>Succeeded or Failed: its containers have exited for good.</summary>
    public static bool IsFinished(V1Pod pod) => Phase(pod) is Succeeded or Failed;

    /// <summary>Neither finished nor being deleted: it counts toward its controller's replicas.</summary>
    public static bool IsActive(V1Pod pod) => pod?.Metadata?.DeletionTimestamp is null && !IsFinished(pod!);

    /// <summary>Its containers were started (it may have finished since).</summary>
    public static bool IsStarted(V1Pod pod) => Phase(pod) is Running or Succeeded or Failed;

    /// <summary>A pod whose containers exit when done (a Job's) rather than being restarted forever.</summary>
    public static bool RunsToCompletion(V1Pod pod) => pod?.Spec?.RestartPolicy is "Never" or "OnFailure";

    /// <summary>A container keeps stdin open for one client (stdin and stdinOnce): it runs while that client is attached.</summary>
    public static bool IsAttached(V1Pod pod) => pod?.Spec?.Containers?.Any(c => c.Stdin == true && c.StdinOnce == true) == true;

    public static bool IsReady(V1Pod pod) =>
        pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>When it became ready, or null while it is not.</summary>
    public static DateTime? ReadySince(V1Pod pod) =>
        pod?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True")?.LastTransitionTime;

    /// <summary>What the kubelet reports once every container runs and is ready (no probes are simulated).</summary>
    public static V1PodStatus RunningStatus(V1Pod pod, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ip = PodIp(pod.Metadata.Uid ?? pod.Metadata.Name);
        return new V1PodStatus
        {
            Phase = Running,
            QosClass = pod.Status?.QosClass,
            StartTime = now,
            HostIP = HostIp,
            HostIPs = [new V1HostIP { Ip = HostIp }],
            PodIP = ip,
            PodIPs = [new V1PodIP { Ip = ip }],
            Conditions =
            [
                Condition("PodReadyToStartContainers", true, now),
                Condition("Initialized", true, now),
                Condition("Ready", true, now),
                Condition("ContainersReady", true, now),
                Condition("PodScheduled", true, now),
            ],
            InitContainerStatuses = InitContainers(pod, now),
            ContainerStatuses = [.. (pod.Spec?.Containers ?? []).Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = c.Image,
                ImageID = c.Image,
                ContainerID = ContainerId(pod, c.Name),
                Ready = true,
                Started = true,
                RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } },
            })],
        };
    }

    /// <summary>What the kubelet reports once the containers of a pod that runs to completion have exited.</summary>
    public static V1PodStatus TerminatedStatus(V1Pod pod, DateTime now, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var started = pod.Status?.StartTime ?? now;
        var status = RunningStatus(pod, started);
        status.Phase = exitCode == 0 ? Succeeded : Failed;
        status.StartTime = started;
        status.Conditions =
        [
            Condition("PodReadyToStartContainers", false, now),
            Condition("Initialized", true, started, "PodCompleted"),
            Condition("Ready", false, now, "PodCompleted"),
            Condition("ContainersReady", false, now, "PodCompleted"),
            Condition("PodScheduled", true, started),
        ];
        foreach (var container in status.ContainerStatuses)
        {
            container.Ready = false;
            container.Started = false;
            container.State = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = exitCode,
                    Reason = exitCode == 0 ? "Completed" : "Error",
                    StartedAt = started,
                    FinishedAt = now,
                    ContainerID = container.ContainerID,
                },
            };
        }

        return status;
    }

    /// <summary>A pod IP in 10.244.0.0/16 (the usual pod network of a kind cluster), the same for the same pod.</summary>
    public static string PodIp(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed ?? ""));
        return $"10.244.{hash[0]}.{Math.Max((int)hash[1], 2)}";
    }

    private static List<V1ContainerStatus>? InitContainers(V1Pod pod, DateTime now) =>
        pod.Spec?.InitContainers is { Count: > 0 } init
            ? [.. init.Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = c.Image,
                ImageID = c.Image,
                ContainerID = ContainerId(pod, c.Name),
                Ready = true,
                Started = false,
                RestartCount = 0,
                State = new V1ContainerState
                {
                    Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = now, FinishedAt = now, ContainerID = ContainerId(pod, c.Name) },
                },
            })]
            : null;

    private static string ContainerId(V1Pod pod, string container) =>
        "containerd://" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{pod.Metadata.Uid}/{container}")));

    private static V1PodCondition Condition(string type, bool status, DateTime now, string? reason = null) => new()
    {
        Type = type,
        Status = status ? "True" : "False",
        Reason = reason,
        LastTransitionTime = now,
    };
}
