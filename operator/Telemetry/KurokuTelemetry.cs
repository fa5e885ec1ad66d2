using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kuroku.Operator.Telemetry;

/// <summary>
/// The operator's one ActivitySource and one Meter, named once. Every instrument lives here so the
/// metric names a dashboard depends on are in one file.
/// </summary>
public static class KurokuTelemetry
{
    public const string Name = "Kuroku.Operator";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Reconciles by result: success, requeue, error, terminal.</summary>
    public static readonly Counter<long> Reconciles =
        Meter.CreateCounter<long>("kuroku.reconciles", "{reconcile}", "Reconciles of WebApps by result");

    /// <summary>
    /// Bucket bounds in seconds for the duration histograms (controller-runtime's, from 5 ms to a minute).
    /// Without them the SDK's defaults apply, which are meant for milliseconds (0, 5, 10, ... 10000) and
    /// put every reconcile in the first bucket.
    /// </summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60];

    public static readonly Histogram<double> ReconcileDuration =
        Meter.CreateHistogram("kuroku.reconcile.duration", "s", "Time spent in one reconcile", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static readonly Histogram<double> QueueWait =
        Meter.CreateHistogram("kuroku.queue.wait", "s", "Time a key waited in the work queue before a worker took it", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>API requests by verb, resource and HTTP status code.</summary>
    public static readonly Counter<long> ApiRequests =
        Meter.CreateCounter<long>("kuroku.api.requests", "{request}", "Requests to the Kubernetes API server");

    public static readonly Counter<long> WatchRestarts =
        Meter.CreateCounter<long>("kuroku.watch.restarts", "{restart}", "Watch streams restarted, by resource and reason");

    /// <summary>Releases by result: created, succeeded, failed.</summary>
    public static readonly Counter<long> Releases =
        Meter.CreateCounter<long>("kuroku.releases", "{release}", "Releases by result");

    private static readonly Lock Gate = new();
    private static ImmutableList<Source> _sources = [];

    /// <summary>Keys waiting, summed over the hosts observed in this process (in a deployed operator, one).</summary>
    public static readonly ObservableGauge<long> QueueDepth =
        Meter.CreateObservableGauge("kuroku.queue.depth", () => _sources.Sum(s => s.QueueDepth()), "{key}", "Keys waiting in the work queue");

    /// <summary>1 while a host observed in this process leads. Several hosts share this static Meter only in tests.</summary>
    public static readonly ObservableGauge<int> Leader =
        Meter.CreateObservableGauge("kuroku.leader", () => _sources.Exists(s => s.IsLeader()) ? 1 : 0, "{bool}", "1 while this replica leads");

    /// <summary>
    /// Connects the observable gauges to a running queue and elector until the returned handle is disposed.
    /// A host registers for its lifetime, so a stopped host (in tests, one of several) no longer speaks for the
    /// process: the last host to start does not silence the others, and a stopped one does not stay counted.
    /// </summary>
    public static IDisposable Observe(Func<long> queueDepth, Func<bool> isLeader)
    {
        var source = new Source(queueDepth, isLeader);
        lock (Gate)
        {
            _sources = _sources.Add(source);
        }

        return source;
    }

    private sealed class Source(Func<long> queueDepth, Func<bool> isLeader) : IDisposable
    {
        public Func<long> QueueDepth { get; } = queueDepth;

        public Func<bool> IsLeader { get; } = isLeader;

        public void Dispose()
        {
            lock (Gate)
            {
                _sources = _sources.Remove(this);
            }
        }
    }
}
