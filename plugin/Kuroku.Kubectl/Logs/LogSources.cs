using System.Globalization;
using Kuroku.Kubectl.Runs;
using k8s.Models;

namespace Kuroku.Kubectl.Logs;

/// <summary>
/// Names the pods of an app as Heroku names its dynos: web.1, web.2, worker.1 for the pods of a process (a
/// Deployment's, or a scheduled process's runs), run.N for one-off processes (their number), release.vN for
/// the release phase of vN. A process's pods are numbered from 1 in the order they were created; a pod that
/// appears later takes the lowest number no live pod of its process holds, as a restarted dyno keeps its
/// name. A name stays with its pod until <see cref="Forget"/>. Not thread-safe.
/// </summary>
public sealed class LogSources
{
    /// <summary>The label the operator puts on the release phase's Job and pods: the release's number.</summary>
    public const string ReleaseLabel = "kuroku.dev/release";

    public const string ComponentLabel = "app.kubernetes.io/component";

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Names pods seen together (a LIST), the oldest first within each process.</summary>
    public void Name(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        foreach (var pod in pods.OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            NameOf(pod);
        }
    }

    /// <summary>The pod's name as a source; given once, kept.</summary>
    public string NameOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = pod.Metadata.Name;
        if (_names.TryGetValue(key, out var known))
        {
            return known;
        }

        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        string name;
        if (labels.TryGetValue(OneOff.RunLabel, out var run))
        {
            name = "run." + run;
        }
        else if (labels.TryGetValue(ReleaseLabel, out var release))
        {
            name = "release.v" + release;
        }
        else
        {
            var process = ProcessOf(pod);
            var taken = _names.Values.Where(n => n.StartsWith(process + ".", StringComparison.Ordinal))
                .Select(n => int.TryParse(n.AsSpan(process.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0)
                .ToHashSet();
            var number = 1;
            while (taken.Contains(number))
            {
                number++;
            }

            name = process + "." + number.ToString(CultureInfo.InvariantCulture);
        }

        _names[key] = name;
        return name;
    }

    /// <summary>The pod is gone: its name is free for the next pod of its process.</summary>
    public void Forget(string podName) => _names.Remove(podName);

    /// <summary>The process (or run, release) a pod belongs to: the first part of its source name.</summary>
    public static string ProcessOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        return labels.ContainsKey(OneOff.RunLabel) ? "run"
            : labels.ContainsKey(ReleaseLabel) ? "release"
            : labels.TryGetValue(ComponentLabel, out var component) ? component
            : "app";
    }

    /// <summary>The container whose log is the pod's: kubectl's default-container annotation, else the one named after its process, else the first.</summary>
    public static string ContainerOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata.Annotations?.TryGetValue("kubectl.kubernetes.io/default-container", out var annotated) == true)
        {
            return annotated;
        }

        var containers = pod.Spec?.Containers ?? [];
        var process = pod.Metadata.Labels?.TryGetValue(ComponentLabel, out var component) == true ? component : null;
        return containers.FirstOrDefault(c => c.Name == process)?.Name ?? containers.FirstOrDefault()?.Name ?? "";
    }

    /// <summary>
    /// Whether a pod's container has started (running or ended), so its log can be read; a pod still waiting
    /// (being scheduled, pulling its image) has none yet.
    /// </summary>
    public static bool HasLog(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = ContainerOf(pod);
        var state = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container)?.State;
        return state?.Running is not null || state?.Terminated is not null;
    }
}
