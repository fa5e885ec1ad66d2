using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Kuroku.Benchmarks.Scale;

/// <summary>
/// The managed heap of another .NET process, read as dotnet-counters reads it but without the tool:
/// an EventPipe session over the runtime's diagnostics socket asks for the System.Runtime counters once
/// a second and keeps the peaks of gc-heap-size (GC.GetTotalMemory) and gc-committed. The operator
/// exposes no runtime metrics of its own on /metrics, so this is the only way in without changing it.
/// The session costs the target a small buffer (2 MB) and one event a second.
/// </summary>
public sealed class HeapCounters(int pid) : IAsyncDisposable
{
    private EventPipeSession? session;
    private Task? processing;

    public PeakTracker HeapSize { get; } = new();

    public PeakTracker Committed { get; } = new();

    /// <summary>Why the counters cannot be read, or null.</summary>
    public string? Problem { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var providers = new[]
        {
            new EventPipeProvider("System.Runtime", EventLevel.Informational, 0, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" }),
        };
        Exception? last = null;
        for (var attempt = 0; attempt < 50 && session is null; attempt++)
        {
            try
            {
                // The runtime opens its diagnostics socket a moment after the process starts.
                session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 2, cancellationToken);
            }
            catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
            {
                last = e;
                await Task.Delay(100, cancellationToken);
            }
        }

        if (session is null)
        {
            Problem = $"no EventPipe session with pid {pid}: {last?.Message}";
            return;
        }

        var stream = session.EventStream;
        processing = Task.Run(() =>
        {
            try
            {
                using var source = new EventPipeEventSource(stream);
                source.Dynamic.All += Observe;
                source.Process();
            }
            catch (Exception e)
            {
                Problem ??= $"EventPipe stream ended: {e.Message}";
            }
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (session is not null)
        {
            try
            {
                await session.StopAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // The process is gone; its session with it.
            }

            session.Dispose();
            session = null;
        }

        if (processing is not null)
        {
            await Task.WhenAny(processing, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    private void Observe(TraceEvent e)
    {
        if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> outer
            || !outer.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload
            || !payload.TryGetValue("Name", out var name) || !payload.TryGetValue("Mean", out var mean))
        {
            return;
        }

        var bytes = (long)(Convert.ToDouble(mean, System.Globalization.CultureInfo.InvariantCulture) * 1_000_000);
        switch (name as string)
        {
            case "gc-heap-size":
                HeapSize.Observe(bytes);
                break;
            case "gc-committed":
                Committed.Observe(bytes);
                break;
        }
    }
}
