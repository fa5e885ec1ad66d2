using System.Globalization;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Kube;
using Kuroku.Kubectl.Runs;
using Kuroku.Runtime.Abstractions;
using k8s.Models;

namespace Kuroku.Kubectl.Logs;

/// <summary>Which pods `logs -p` keeps: a process (web, run, release) or one source (web.1, run.3, release.v7).</summary>
public sealed record LogFilter(string Process, string? Source)
{
    /// <summary>
    /// The filter a -p value asks for, checked against the app's processes (and run, release): an unknown
    /// process is refused, naming those there are.
    /// </summary>
    public static LogFilter? Parse(WebApp app, string? value)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (value is null)
        {
            return null;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var process = dot < 0 ? value : value[..dot];
        var known = app.Spec.Processes.Keys.Order(StringComparer.Ordinal).ToList();
        if (!known.Contains(process) && process is not ("run" or "release"))
        {
            throw new CommandException(
                $"{app.Metadata.Name} has no process \"{value}\" (-p); its processes: {string.Join(", ", known)}, "
                + "and run (one-off processes), release (release phases), or one of them numbered, for example web.1, run.2, release.v7");
        }

        if (dot >= 0 && (dot == value.Length - 1 || (process == "release" ? !value[(dot + 1)..].StartsWith('v') : !value[(dot + 1)..].All(char.IsAsciiDigit))))
        {
            throw new CommandException($"\"{value}\" (-p) is neither a process nor a source such as {process}.{(process == "release" ? "v7" : "1")}");
        }

        return new LogFilter(process, dot < 0 ? null : value);
    }

    public bool Keeps(string process, string source) => Process == process && (Source is null || Source == source);
}

/// <summary>
/// `logs`: the logs of every pod of an app (its processes, release phases, one-off runs) merged into one stream,
/// each line stamped and named after its source, Heroku's way. Without follow: the last lines of all, by time.
/// With follow: those, then new lines as they come, from new pods as they appear (a rollout's) and no longer
/// from pods that go; a watch of the app's pods tells which.
/// </summary>
public sealed class AppLogs(IKurokuCluster cluster, string ns, string app, LogFilter? filter, long? tail, TextWriter output) : IDisposable
{
    /// <summary>How far back a resumed stream asks (beyond the last line seen), against clock skew between here and the nodes.</summary>
    public static readonly TimeSpan ResumeMargin = TimeSpan.FromSeconds(60);

    private readonly LogSources _sources = new();
    private readonly SemaphoreSlim _writing = new(1);
    private readonly Dictionary<string, Following> _streams = new(StringComparer.Ordinal);

    /// <summary>The label selector of every pod of the app: the operator's and the plugin's.</summary>
    public static string Selector(string app) =>
        $"app.kubernetes.io/part-of={app},app.kubernetes.io/managed-by in (kuroku,{OneOff.Manager})";

    /// <summary>Prints the merged tail; with <paramref name="follow"/>, goes on until cancelled.</summary>
    public async Task RunAsync(bool follow, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var list = await cluster.ListPodsAsync(ns, Selector(app), cancellationToken);
        _sources.Name(list.Items);
        var readable = list.Items.Where(p => Kept(p) && LogSources.HasLog(p)).ToList();
        var fetched = await Task.WhenAll(readable.Select(async pod =>
            (Pod: pod, Lines: await ReadAsync(pod, new LogRequest(TailLines: tail), resume: null, cancellationToken))));
        foreach (var line in LogLines.Merge(fetched.Select(f => f.Lines), tail))
        {
            await output.WriteLineAsync(LogLines.Format(line));
        }

        await output.FlushAsync(cancellationToken);
        if (!follow)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (pod, _) in fetched.Where(f => !IsRunning(f.Pod)))
        {
            // Ended: its whole log was read; a later change of the pod must not read it again.
            _streams[pod.Metadata.Name] = new Following(pod.Metadata.Uid, RestartCount(pod), new CancellationTokenSource(), Task.CompletedTask);
        }

        foreach (var (pod, lines) in fetched.Where(f => IsRunning(f.Pod)))
        {
            // Go on from the last line read: ask a little further back and skip what was seen. With --tail 0
            // nothing was read: only what comes from now on.
            var resume = lines.Count == 0 ? null : Resume.After(lines);
            var since = resume is null ? (long?)null : (long)Math.Ceiling((now - resume.At + ResumeMargin).TotalSeconds);
            Start(pod, new LogRequest(Follow: true, TailLines: tail == 0 ? 0 : null, SinceSeconds: since), resume, cancellationToken);
        }

        foreach (var pod in list.Items.Where(p => !readable.Contains(p)))
        {
            Seen(pod, cancellationToken);
        }

        var resourceVersion = list.ResourceVersion;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await foreach (var change in cluster.WatchPodsAsync(ns, Selector(app), resourceVersion, cancellationToken))
                    {
                        resourceVersion = change.Pod.Metadata.ResourceVersion ?? resourceVersion;
                        if (change.Type == "DELETED")
                        {
                            Gone(change.Pod.Metadata.Name);
                        }
                        else
                        {
                            Seen(change.Pod, cancellationToken);
                        }
                    }
                }
                catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or k8s.Autorest.HttpOperationException
                    && !cancellationToken.IsCancellationRequested)
                {
                    // The watch broke (a 410, a dropped connection): list again below.
                }

                // The watch ended: list again, to see what changed meanwhile, and watch from there.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                var again = await cluster.ListPodsAsync(ns, Selector(app), cancellationToken);
                foreach (var name in _streams.Keys.Except(again.Items.Select(p => p.Metadata.Name)).ToList())
                {
                    Gone(name);
                }

                foreach (var pod in again.Items)
                {
                    Seen(pod, cancellationToken);
                }

                resourceVersion = again.ResourceVersion;
            }
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                await stream.Stop.CancelAsync();
            }

            await Task.WhenAll(_streams.Values.Select(s => s.Reading.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _writing.Dispose();

    private bool Kept(V1Pod pod) => filter is null || filter.Keeps(LogSources.ProcessOf(pod), _sources.NameOf(pod));

    /// <summary>A pod appeared or changed: name it, and follow its container's log once it has one (again after a restart).</summary>
    private void Seen(V1Pod pod, CancellationToken cancellationToken)
    {
        _sources.NameOf(pod);
        if (!Kept(pod) || !LogSources.HasLog(pod))
        {
            return;
        }

        var restarts = RestartCount(pod);
        if (_streams.TryGetValue(pod.Metadata.Name, out var stream) && stream.Uid == pod.Metadata.Uid && stream.Restarts == restarts)
        {
            return;
        }

        Start(pod, new LogRequest(Follow: true), null, cancellationToken);
    }

    /// <summary>The pod is gone: stop following it; its source name is free again.</summary>
    private void Gone(string pod)
    {
        if (_streams.Remove(pod, out var stream))
        {
            stream.Stop.Cancel();
        }

        _sources.Forget(pod);
    }

    private void Start(V1Pod pod, LogRequest request, Resume? resume, CancellationToken cancellationToken)
    {
        if (_streams.Remove(pod.Metadata.Name, out var previous))
        {
            previous.Stop.Cancel();
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var source = _sources.NameOf(pod);
        var reading = FollowAsync(pod, source, request, resume, stop.Token);
        _streams[pod.Metadata.Name] = new Following(pod.Metadata.Uid, RestartCount(pod), stop, reading);
    }

    private async Task FollowAsync(V1Pod pod, string source, LogRequest request, Resume? resume, CancellationToken cancellationToken)
    {
        try
        {
            var skip = resume?.Count ?? 0;
            await foreach (var raw in cluster.ReadLogAsync(ns, pod.Metadata.Name, LogSources.ContainerOf(pod), request, cancellationToken))
            {
                var (at, text) = LogLines.Parse(raw);
                if (resume is not null && (at < resume.At || (at == resume.At && skip-- > 0)))
                {
                    continue;
                }

                await _writing.WaitAsync(cancellationToken);
                try
                {
                    await output.WriteLineAsync(LogLines.Format(new LogLine(at, source, text)));
                    await output.FlushAsync(cancellationToken);
                }
                finally
                {
                    _writing.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or KubernetesApiException or CommandException or IOException or HttpRequestException)
        {
            // Stopped, or the pod went before its log could be read: nothing more from this one.
        }
    }

    private async Task<IReadOnlyList<LogLine>> ReadAsync(V1Pod pod, LogRequest request, Resume? resume, CancellationToken cancellationToken)
    {
        var source = _sources.NameOf(pod);
        var lines = new List<LogLine>();
        try
        {
            await foreach (var raw in cluster.ReadLogAsync(ns, pod.Metadata.Name, LogSources.ContainerOf(pod), request, cancellationToken))
            {
                var (at, text) = LogLines.Parse(raw);
                if (resume is null || at >= resume.At)
                {
                    lines.Add(new LogLine(at, source, text));
                }
            }
        }
        catch (KubernetesApiException e) when (e.StatusCode is 400 or 404)
        {
            // Gone, or not started after all, since the LIST: no lines from it.
        }

        return lines;
    }

    private static bool IsRunning(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == LogSources.ContainerOf(pod))?.State?.Running is not null;

    private static int RestartCount(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == LogSources.ContainerOf(pod))?.RestartCount ?? 0;

    /// <summary>Where a stream goes on from: the time of the last line seen, and how many lines were seen at that time.</summary>
    private sealed record Resume(DateTimeOffset At, int Count)
    {
        public static Resume After(IReadOnlyList<LogLine> lines)
        {
            var last = lines.Max(l => l.At);
            return new Resume(last, lines.Count(l => l.At == last));
        }
    }

    private sealed record Following(string Uid, int Restarts, CancellationTokenSource Stop, Task Reading);

    /// <summary>"100", "-1" (all) or "0" for --tail; anything else is refused.</summary>
    public static long? ParseTail(string? value)
    {
        if (value is null)
        {
            return LogsDefaults.Tail;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1
            ? (n == -1 ? null : n)
            : throw new CommandException($"\"{value}\" is not a number of lines for --tail (0 or more, or -1 for all)");
    }
}

/// <summary>What `logs` shows without --tail: Heroku's last 100 lines.</summary>
public static class LogsDefaults
{
    public const long Tail = 100;
}
