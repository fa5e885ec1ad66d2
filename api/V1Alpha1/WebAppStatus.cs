using System.Text.Json.Serialization;
using Kuroku.Api.Schema;
using k8s.Models;

namespace Kuroku.Api.V1Alpha1;

/// <summary>What the operator observed and did, in the kstatus style that Argo CD and kubectl wait read.</summary>
public sealed class WebAppStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>The number of the release that is live (serving).</summary>
    [JsonPropertyName("release")]
    public int? Release { get; set; }

    /// <summary>Where the app answers: the first host, https when TLS is configured.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; set; }

    /// <summary>The label selector of the web process's pods, for the scale subresource.</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; set; }

    /// <summary>
    /// A one-line summary of ready/desired replicas per process, then the schedule of each scheduled
    /// process, for example "web 2/2, worker 1/1, cleanup (*/10 * * * *)".
    /// </summary>
    [JsonPropertyName("processSummary")]
    public string? ProcessSummary { get; set; }

    /// <summary>Replica counts per process, from its Deployment's status (scheduled processes have none).</summary>
    [JsonPropertyName("processes")]
    public IDictionary<string, ProcessStatus>? Processes { get; set; }

    /// <summary>The recent releases, newest first, bounded.</summary>
    [JsonPropertyName("releases")]
    public IList<ReleaseRecord>? Releases { get; set; }

    /// <summary>Ready, Progressing, Degraded and Released conditions.</summary>
    [JsonPropertyName("conditions")]
    [ListMapKeys("type")]
    public IList<V1Condition>? Conditions { get; set; }
}

/// <summary>Replica counts of one process.</summary>
public sealed class ProcessStatus
{
    /// <summary>Desired replicas.</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }

    /// <summary>Replicas whose pods are ready.</summary>
    [JsonPropertyName("readyReplicas")]
    public int ReadyReplicas { get; set; }

    /// <summary>Replicas running the live release.</summary>
    [JsonPropertyName("updatedReplicas")]
    public int UpdatedReplicas { get; set; }
}

/// <summary>One numbered release: the image, config and commands that ran together.</summary>
public sealed class ReleaseRecord
{
    /// <summary>The release number, v1 upward, never reused.</summary>
    [JsonPropertyName("version")]
    public int Version { get; set; }

    /// <summary>The image of the release.</summary>
    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    /// <summary>A hash of the config vars and commands of the release.</summary>
    [JsonPropertyName("configHash")]
    public string ConfigHash { get; set; } = "";

    /// <summary>Why the release was made, for example "image changed" or "rollback to v6".</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    /// <summary>Pending, Running (release phase), Succeeded or Failed.</summary>
    [JsonPropertyName("phase")]
    public string Phase { get; set; } = "";

    /// <summary>Why the release failed, when it did.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>When the release was made.</summary>
    [JsonPropertyName("createdAt")]
    public DateTime? CreatedAt { get; set; }
}
