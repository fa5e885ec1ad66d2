namespace Kuroku.Testing.ApiServer.Pods;

/// <summary>One line a container wrote, and when.</summary>
public sealed record PodLogLine(DateTimeOffset At, string Text);

/// <summary>
/// What containers wrote, as a node's kubelet keeps it for <c>GET pods/NAME/log</c>: lines per namespace,
/// pod and container, each with the time it was written. Nothing runs containers in this server: whatever
/// stands in for them (a test, the attach stand-in <see cref="ContainerStandIn"/>, a playground's kubelet)
/// writes their output here with <see cref="Append"/>, and the log subresource serves it with kube-apiserver's
/// options (container, follow, tailLines, timestamps, sinceTime, sinceSeconds, limitBytes).
/// The logs belong to the pod's uid, as on a node: a pod deleted and created again under the same name
/// starts with none. Thread-safe.
/// </summary>
public sealed class PodLogs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Uid, string Container), Stream> _streams = [];
    private readonly Func<string, string, string?> _podUid;
    private readonly TimeProvider _time;

    internal PodLogs(Func<string, string, string?> podUid, TimeProvider time)
    {
        _podUid = podUid;
        _time = time;
    }

    /// <summary>
    /// Appends what the container wrote: one line, or several separated by '\n' (a trailing newline ends the
    /// last one and adds none), written at <paramref name="at"/> (default: now). Followers see them at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The namespace has no pod of that name.</exception>
    public void Append(string @namespace, string pod, string container, string line, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(line);
        var uid = _podUid(@namespace, pod) ?? throw new InvalidOperationException($"there is no pod {@namespace}/{pod} to write logs for");
        var when = at ?? _time.GetUtcNow();
        var text = line.EndsWith('\n') ? line[..^1] : line;
        TaskCompletionSource written;
        lock (_gate)
        {
            if (!_streams.TryGetValue((uid, container), out var stream))
            {
                stream = new Stream();
                _streams[(uid, container)] = stream;
            }

            foreach (var part in text.Split('\n'))
            {
                stream.Lines.Add(new PodLogLine(when, part.TrimEnd('\r')));
            }

            written = stream.Written;
            stream.Written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        written.TrySetResult();
    }

    /// <summary>Every line the container of the pod (as it exists now) wrote, oldest first.</summary>
    public IReadOnlyList<PodLogLine> Read(string @namespace, string pod, string container)
    {
        var uid = _podUid(@namespace, pod);
        return uid is null ? [] : Since(uid, container, 0).Lines;
    }

    /// <summary>The lines from index <paramref name="from"/> on, and a task that completes when more are written.</summary>
    internal (IReadOnlyList<PodLogLine> Lines, Task More) Since(string uid, string container, int from)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue((uid, container), out var stream))
            {
                stream = new Stream();
                _streams[(uid, container)] = stream;
            }

            return (from >= stream.Lines.Count ? [] : stream.Lines.GetRange(from, stream.Lines.Count - from), stream.Written.Task);
        }
    }

    private sealed class Stream
    {
        public List<PodLogLine> Lines { get; } = [];

        public TaskCompletionSource Written { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
