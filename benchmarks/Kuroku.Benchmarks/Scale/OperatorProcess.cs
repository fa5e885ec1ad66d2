using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kuroku.Benchmarks.Scale;

/// <summary>The highest value seen since the last <see cref="Reset"/>. Thread-safe.</summary>
public sealed class PeakTracker
{
    private long peak;

    public long Peak => Interlocked.Read(ref peak);

    public void Observe(long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public void Reset(long value = 0) => Interlocked.Exchange(ref peak, value);
}

/// <summary>
/// The operator under test, as its own process (`dotnet Kuroku.Operator.dll run ...`), so that its RSS
/// is its own: started with the GC heap capped as a container's memory limit caps it, its stdout and
/// stderr into a log file, its RSS sampled every 100 ms from /proc, its /metrics and /readyz read over HTTP.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Process process;
    private readonly CancellationTokenSource sampling = new();
    private readonly Task sampler;
    private readonly HeapCounters heap;
    private TimeSpan lastCpu;

    private OperatorProcess(Process process, int port, string logPath, DateTime startedAt)
    {
        this.process = process;
        Port = port;
        LogPath = logPath;
        StartedAt = startedAt;
        Stopwatch = Stopwatch.StartNew();
        sampler = Task.Run(() => SampleAsync(sampling.Token));
        heap = new HeapCounters(process.Id);
    }

    public int Pid => process.Id;

    public int Port { get; }

    public string LogPath { get; }

    public DateTime StartedAt { get; }

    /// <summary>Started with the process.</summary>
    public Stopwatch Stopwatch { get; }

    /// <summary>Peak VmRSS (bytes) sampled since the last reset.</summary>
    public PeakTracker Rss { get; } = new();

    /// <summary>Peak managed heap (bytes, the runtime's gc-heap-size counter) since the last reset; 0 when unavailable.</summary>
    public PeakTracker ManagedHeap => heap.HeapSize;

    /// <summary>Peak GC committed memory (bytes) since the last reset; 0 when unavailable.</summary>
    public PeakTracker GcCommitted => heap.Committed;

    /// <summary>Why the managed heap cannot be read, or null when it can.</summary>
    public string? HeapProblem => heap.Problem;

    public bool HasExited => process.HasExited;

    /// <summary>The runtime's environment as the image (the Dockerfile's ENV) sets it, but its TMPDIR: the operator runs as it ships.</summary>
    public static IReadOnlyDictionary<string, string> ImageEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_EnableWriteXorExecute"] = "0",
        ["MALLOC_ARENA_MAX"] = "1",
    };

    public static async Task<OperatorProcess> StartAsync(string dll, string kubeconfig, int workers, long? heapHardLimit, string logPath, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };

        // exec: the shell becomes the operator, so the pid is the operator's; the log is appended to.
        foreach (var arg in new[]
                 {
                     "-c", "exec dotnet \"$@\" >>\"$KUROKU_BENCH_LOG\" 2>&1", "sh", dll, "run",
                     "--kubeconfig", kubeconfig, "--webhooks", "false", "--leader-election", "false",
                     "--http-port", port.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("KUROKU_", StringComparison.Ordinal) || k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["KUROKU_BENCH_LOG"] = logPath;
        foreach (var (key, value) in ImageEnvironment)
        {
            start.Environment[key] = value;
        }

        if (heapHardLimit is { } limit)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limit.ToString("X", CultureInfo.InvariantCulture);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        var started = new OperatorProcess(process, port, logPath, DateTime.UtcNow);
        await started.heap.StartAsync(cancellationToken);
        return started;
    }

    /// <summary>Polls /readyz every 100 ms until it answers 200; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.Elapsed + timeout;
        while (Stopwatch.Elapsed < deadline)
        {
            ThrowIfExited();
            try
            {
                using var response = await Http.GetAsync(Url("/readyz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"the operator (pid {Pid}) was not ready after {timeout.TotalSeconds:F0} s; its log: {LogPath}");
    }

    /// <summary>The operator's /metrics, parsed.</summary>
    public async Task<IReadOnlyList<Sample>> MetricsAsync(CancellationToken cancellationToken)
    {
        ThrowIfExited();
        return PrometheusText.Parse(await Http.GetStringAsync(Url("/metrics"), cancellationToken));
    }

    /// <summary>The operator's writes so far, from its own request counter.</summary>
    public async Task<WriteTally> WritesAsync(CancellationToken cancellationToken) =>
        WriteTally.FromMetrics(await MetricsAsync(cancellationToken));

    /// <summary>CPU time (user + system) the operator has used so far (the last reading once it has exited).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                process.Refresh();
                lastCpu = process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
            }

            return lastCpu;
        }
    }

    /// <summary>VmHWM: the process's peak RSS over its whole life, in bytes (once it has exited, the highest RSS sampled).</summary>
    public long HighWaterMark => ReadStatus("VmHWM:") ?? Rss.Peak;

    /// <summary>SIGTERM, as the kubelet stops a pod; waits for the exit (SIGKILL after the timeout). Returns the time it took.</summary>
    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await kill!.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        await StopSamplingAsync();
        return watch.Elapsed;
    }

    /// <summary>Throws with the log's tail when the operator died (an OutOfMemoryException under a capped heap, for one).</summary>
    public void ThrowIfExited()
    {
        if (process.HasExited)
        {
            throw new OperatorExitedException(process.ExitCode, LogPath, Tail(LogPath, 5));
        }
    }

    /// <summary>
    /// From this process's log lines: the time from its start to "waiting for N caches to sync" (runtime
    /// start-up, DI, JIT) and from there to "Caches synced" (the LISTs and the informers filling).
    /// </summary>
    public (double? StartupSeconds, double? CacheSyncSeconds) CacheSyncFromLog()
    {
        DateTime? waiting = null;
        DateTime? synced = null;
        foreach (var line in ReadLog())
        {
            var isWaiting = line.Contains("caches to sync", StringComparison.Ordinal);
            if (!isWaiting && !line.Contains("Caches synced", StringComparison.Ordinal))
            {
                continue;
            }

            var at = LogTimestamp(line);
            if (at is null || at < StartedAt.AddSeconds(-1))
            {
                continue;
            }

            if (isWaiting)
            {
                waiting = at;
                synced = null;
            }
            else
            {
                synced = at;
            }
        }

        return ((waiting - StartedAt)?.TotalSeconds, (synced - waiting)?.TotalSeconds);
    }

    /// <summary>The "Timestamp" of a JSON console log line (UTC), or null.</summary>
    public static DateTime? LogTimestamp(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("Timestamp", out var t)
                && DateTime.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Lines of the operator's log that contain <paramref name="text"/>.</summary>
    public int CountLogLines(string text) => ReadLog().Count(line => line.Contains(text, StringComparison.Ordinal));

    private List<string> ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines;
        }
        catch (IOException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await StopSamplingAsync();
        process.Dispose();
        sampling.Dispose();
    }

    private async Task StopSamplingAsync()
    {
        if (!sampling.IsCancellationRequested)
        {
            await sampling.CancelAsync();
            await sampler;
            await heap.DisposeAsync();
        }
    }

    private Uri Url(string path) => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}{path}");

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                if (ReadStatus("VmRSS:") is { } rss)
                {
                    Rss.Observe(rss);
                }

                // Keeps the CPU reading current, so that a process that dies still has its last figure.
                _ = CpuTime;
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
    }

    // A "Name:   1234 kB" line of /proc/<pid>/status, in bytes.
    private long? ReadStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string Tail(string path, int lines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The operator process ended while the benchmark needed it.</summary>
public sealed class OperatorExitedException(int exitCode, string logPath, string tail)
    : Exception($"the operator exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}"
        + (tail.Contains("OutOfMemoryException", StringComparison.Ordinal) ? " after an OutOfMemoryException" : "")
        + $"; its log: {logPath}")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The last lines of the operator's log.</summary>
    public string Tail { get; } = tail;
}
