using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.Queue;

namespace Kuroku.Operator.Telemetry;

/// <summary>The runtime's metric hooks written to the one Meter (<see cref="KurokuTelemetry"/>).</summary>
public sealed class RuntimeMetrics : IApiMetrics, IWorkQueueMetrics, IControllerMetrics, IInformerMetrics
{
    private long _depth;

    public long Depth => Interlocked.Read(ref _depth);

    public void RequestCompleted(string verb, string resource, int statusCode, TimeSpan duration) =>
        KurokuTelemetry.ApiRequests.Add(1,
            new KeyValuePair<string, object?>("verb", verb),
            new KeyValuePair<string, object?>("resource", resource),
            new KeyValuePair<string, object?>("code", statusCode));

    public void Added(string queue)
    {
    }

    public void DepthChanged(string queue, int depth) => Interlocked.Exchange(ref _depth, depth);

    public void Waited(string queue, TimeSpan wait) =>
        KurokuTelemetry.QueueWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>("queue", queue));

    public void Processed(string queue, TimeSpan duration)
    {
    }

    public void Retried(string queue)
    {
    }

    public void Reconciled(string controller, string result, TimeSpan duration)
    {
        var tags = new[]
        {
            new KeyValuePair<string, object?>("controller", controller),
            new KeyValuePair<string, object?>("result", result),
        };
        KurokuTelemetry.Reconciles.Add(1, tags);
        KurokuTelemetry.ReconcileDuration.Record(duration.TotalSeconds, tags);
    }

    public void ActiveWorkersChanged(string controller, int active)
    {
    }

    public void WatchRestarted(string resource, string reason) =>
        KurokuTelemetry.WatchRestarts.Add(1,
            new KeyValuePair<string, object?>("resource", resource),
            new KeyValuePair<string, object?>("reason", reason));
}
