using System.Text.Json.Serialization;
using k8s.Models;

namespace Kuroku.Api.Releases;

/// <summary>The phases of a release, as stored on its ControllerRevision and shown in status.</summary>
public static class ReleasePhases
{
    /// <summary>Recorded; the release phase has not started yet.</summary>
    public const string Pending = "Pending";

    /// <summary>The release phase Job is running.</summary>
    public const string Running = "Running";

    /// <summary>Live, or was live: processes run (or ran) it.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The release phase failed or timed out; the previous release kept serving.</summary>
    public const string Failed = "Failed";
}

/// <summary>How one process of a release runs.</summary>
public sealed class ProcessCommand
{
    [JsonPropertyName("command")]
    public IList<string>? Command { get; set; }

    [JsonPropertyName("args")]
    public IList<string>? Args { get; set; }
}

/// <summary>
/// What a release is: the image, the config vars and the process commands, frozen. Stored as the
/// data of the release's ControllerRevision; the desired-state builders run exactly this.
/// </summary>
public sealed class ReleaseSnapshot
{
    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    [JsonPropertyName("env")]
    public IList<V1EnvVar>? Env { get; set; }

    [JsonPropertyName("envFrom")]
    public IList<V1EnvFromSource>? EnvFrom { get; set; }

    [JsonPropertyName("processes")]
    public IDictionary<string, ProcessCommand> Processes { get; set; } = new SortedDictionary<string, ProcessCommand>(StringComparer.Ordinal);

    /// <summary>A hash of everything above plus the data of the Secrets and ConfigMaps the config refers to.</summary>
    [JsonPropertyName("configHash")]
    public string ConfigHash { get; set; } = "";
}

/// <summary>One numbered release and what happened to it.</summary>
public sealed record Release(
    int Version,
    ReleaseSnapshot Snapshot,
    string Phase,
    string Reason,
    string? Message,
    DateTime CreatedAt)
{
    /// <summary>
    /// False when the record was read from a cache that keeps only its summary (the image and the config
    /// hash of <see cref="Snapshot"/>, not the config vars and commands).
    /// </summary>
    public bool Complete { get; init; } = true;
}
