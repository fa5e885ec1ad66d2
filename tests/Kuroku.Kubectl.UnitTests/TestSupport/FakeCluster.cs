using System.Runtime.CompilerServices;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Kube;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.TestSupport;

/// <summary>
/// An in-memory cluster: records every patch (and can answer conflicts before it accepts one), holds pods,
/// Jobs and CronJobs, answers logs from <see cref="Logs"/>, and attaches to <see cref="Attach"/>.
/// </summary>
internal sealed class FakeCluster : IKurokuCluster
{
    public string DefaultNamespace { get; init; } = "shop";

    public Dictionary<(string Ns, string Name), WebApp> Apps { get; } = [];

    public Dictionary<(string Ns, string Name), V1ControllerRevision> Revisions { get; } = [];

    public List<(string Ns, string Name, WebAppPatch Patch)> Patches { get; } = [];

    public Dictionary<(string Ns, string Name), V1Pod> Pods { get; } = [];

    public List<V1Job> Jobs { get; } = [];

    public List<V1CronJob> CronJobs { get; } = [];

    public List<(string Ns, string Name)> DeletedPods { get; } = [];

    /// <summary>Each pod's log lines, stamped ("2026-05-01T12:00:00Z text").</summary>
    public Dictionary<string, List<string>> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>Run when a pod is created: a test makes it run (status) here.</summary>
    public Action<V1Pod>? OnCreatePod { get; set; }

    /// <summary>The connection an attach gets.</summary>
    public Func<string, IChannelConnection>? Attach { get; set; }

    /// <summary>Run before answering each patch; throw from it to refuse the patch.</summary>
    public Action<int>? BeforePatch { get; set; }

    public Task<WebApp?> GetWebAppAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Apps.TryGetValue((ns, name), out var app) ? Clone(app) : null);

    public Task<WebApp> PatchWebAppAsync(string ns, string name, WebAppPatch patch, CancellationToken cancellationToken)
    {
        Patches.Add((ns, name, patch));
        BeforePatch?.Invoke(Patches.Count);
        return Task.FromResult(Clone(Apps[(ns, name)]));
    }

    public Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Revisions.TryGetValue((ns, name), out var r) ? r : null);

    public Task<IReadOnlyList<V1ControllerRevision>> ListRevisionsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var (key, value) = (labelSelector.Split('=')[0], labelSelector.Split('=')[1]);
        IReadOnlyList<V1ControllerRevision> found = Revisions
            .Where(r => r.Key.Ns == ns && r.Value.Metadata.Labels?.TryGetValue(key, out var v) == true && v == value)
            .Select(r => r.Value)
            .ToList();
        return Task.FromResult(found);
    }

    public Task<PodList> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        Task.FromResult(new PodList([.. Pods.Where(p => p.Key.Ns == ns && Matches(p.Value.Metadata, labelSelector)).Select(p => p.Value)], "1"));

    public async IAsyncEnumerable<PodEvent> WatchPodsAsync(string ns, string labelSelector, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    public Task<V1Pod?> GetPodAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Pods.TryGetValue((ns, name), out var pod) ? pod : null);

    public Task<V1Pod> CreatePodAsync(string ns, V1Pod pod, CancellationToken cancellationToken)
    {
        Pods[(ns, pod.Metadata.Name)] = pod;
        OnCreatePod?.Invoke(pod);
        return Task.FromResult(pod);
    }

    public Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        DeletedPods.Add((ns, name));
        Pods.Remove((ns, name));
        return Task.CompletedTask;
    }

    public Task<V1Job> CreateJobAsync(string ns, V1Job job, CancellationToken cancellationToken)
    {
        Jobs.Add(job);
        return Task.FromResult(job);
    }

    public Task<IReadOnlyList<V1Job>> ListJobsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1Job>>([.. Jobs.Where(j => j.Metadata.NamespaceProperty == ns && Matches(j.Metadata, labelSelector))]);

    public Task<IReadOnlyList<V1CronJob>> ListCronJobsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1CronJob>>([.. CronJobs.Where(j => j.Metadata.NamespaceProperty == ns && Matches(j.Metadata, labelSelector))]);

    public async IAsyncEnumerable<string> ReadLogAsync(string ns, string pod, string container, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = Logs.TryGetValue(pod, out var l) ? l : [];
        var from = request.TailLines is { } tail ? Math.Max(0, lines.Count - (int)tail) : 0;
        foreach (var line in lines.Skip(from))
        {
            yield return line;
        }

        if (request.Follow)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    public Task<IChannelConnection> AttachAsync(string ns, string pod, string container, bool tty, CancellationToken cancellationToken) =>
        Task.FromResult((Attach ?? throw new InvalidOperationException("no attach in this test"))(pod));

    /// <summary>Equality terms ("a=b"), existence terms ("a") and set terms ("a in (x,y)") of a label selector.</summary>
    private static bool Matches(V1ObjectMeta metadata, string selector)
    {
        var labels = metadata.Labels ?? new Dictionary<string, string>();
        var terms = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }

        terms.Add(selector[start..]);
        return terms.All(term =>
        {
            if (term.Contains(" in (", StringComparison.Ordinal))
            {
                var key = term[..term.IndexOf(' ', StringComparison.Ordinal)];
                var values = term[(term.IndexOf('(', StringComparison.Ordinal) + 1)..^1].Split(',');
                return labels.TryGetValue(key, out var v) && values.Contains(v);
            }

            var parts = term.Split('=');
            return parts.Length == 1 ? labels.ContainsKey(parts[0]) : labels.TryGetValue(parts[0], out var value) && value == parts[1];
        });
    }

    private static WebApp Clone(WebApp app) => KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(app));
}
