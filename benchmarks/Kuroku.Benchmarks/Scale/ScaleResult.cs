namespace Kuroku.Benchmarks.Scale;

/// <summary>
/// Writes of one phase: how many, per app, by verb and resource, how many of them the server refused
/// (included in the counts); and the server log's count as a cross-check.
/// </summary>
public sealed record PhaseWrites(long Total, double? PerApp, IReadOnlyDictionary<string, long> ByVerbAndResource, long Rejected, IReadOnlyDictionary<string, long> RejectedByVerbAndResource, long? ServerLogTotal)
{
    public static PhaseWrites Of(WriteTally tally, int? apps, WriteTally? serverLog)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return new PhaseWrites(tally.Total, apps is > 0 ? (double)tally.Total / apps.Value : null, tally.ByVerbAndResource, tally.Rejected, tally.RejectedByVerbAndResource, serverLog?.Total);
    }
}

/// <summary>What the operator process used during a phase.</summary>
/// <param name="PeakRssMiB">The highest VmRSS sampled every 100 ms during the phase.</param>
/// <param name="HighWaterMarkMiB">VmHWM at the end of the phase: the process's peak RSS so far.</param>
/// <param name="PeakManagedHeapMiB">The highest gc-heap-size counter (once a second), or null when unreadable.</param>
/// <param name="PeakGcCommittedMiB">The highest gc-committed counter, or null.</param>
/// <param name="OperatorCpuSeconds">User + system CPU of the operator during the phase.</param>
/// <param name="BenchmarkCpuSeconds">User + system CPU of this process (the in-process API server, the clients) during the phase.</param>
public sealed record ResourceUse(double PeakRssMiB, double HighWaterMarkMiB, double? PeakManagedHeapMiB, double? PeakGcCommittedMiB, double OperatorCpuSeconds, double BenchmarkCpuSeconds);

public sealed record RunInfo(
    DateTime StartedAtUtc,
    int Apps,
    IReadOnlyDictionary<string, int> AppsByKind,
    int Namespaces,
    int Workers,
    string MemoryLimit,
    long? HeapHardLimitBytes,
    string Target,
    string OperatorPath,
    string OperatorGc,
    int Cores,
    string LoadAverageAtStart,
    string? LoadAverageAtEnd,
    int SteadySeconds,
    int Writers);

/// <summary>Phase 1: the fleet created with the operator running, until every app is at release 1 with its children.</summary>
/// <remarks>
/// <see cref="EventsDropped"/> counts the operator's "Event buffer full" warnings. Its event channel drops
/// with <c>BoundedChannelFullMode.DropWrite</c>, whose TryWrite reports success for a dropped item, so the
/// warning never fires: dropped events show as fewer "create events" per app instead.
/// </remarks>
public sealed record ConvergeResult(
    bool Converged,
    bool OperatorDied,
    int ConvergedApps,
    double CreateSeconds,
    double ConvergeSeconds,
    double AppsPerSecond,
    double P50Seconds,
    double P90Seconds,
    double LastWriteSeconds,
    PhaseWrites Writes,
    IReadOnlyDictionary<string, double>? WritesPerAppByKind,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? WritesPerAppByKindAndVerb,
    int MissingChildren,
    int EventsDropped,
    double Reconciles,
    ResourceUse Resources,
    IReadOnlyList<ListStats> ListsAfterConverge);

public sealed record SteadyResult(double Seconds, PhaseWrites Writes, double Reconciles, ResourceUse Resources);

public sealed record ReleaseResult(
    bool Converged,
    bool OperatorDied,
    int ConvergedApps,
    double PatchSeconds,
    double ConvergeSeconds,
    double AppsPerSecond,
    double LastWriteSeconds,
    PhaseWrites Writes,
    int StaleDeployments,
    ResourceUse Resources);

/// <summary>Phase 4: SIGTERM, then a new operator process over the converged fleet.</summary>
/// <param name="StopSeconds">SIGTERM to the old process's exit.</param>
/// <param name="CachesSyncedSeconds">Process start to /readyz 200.</param>
/// <param name="StartupSeconds">Of those, process start to the controller's "waiting for caches" log line.</param>
/// <param name="CacheSyncSeconds">And from there to its "Caches synced" line: the LISTs and informers alone.</param>
/// <param name="AllReconciledSeconds">Process start until every app was reconciled once and the queue was empty.</param>
/// <param name="WindowSeconds">Process start to the end of the phase (at least the steady window after /readyz).</param>
/// <param name="Writes">Everything the new process wrote.</param>
/// <param name="Reconciles">Its reconciles.</param>
/// <param name="Resources">Its memory and CPU.</param>
public sealed record RestartResult(
    double StopSeconds,
    double CachesSyncedSeconds,
    double? StartupSeconds,
    double? CacheSyncSeconds,
    double? AllReconciledSeconds,
    double WindowSeconds,
    PhaseWrites Writes,
    double Reconciles,
    ResourceUse Resources);

/// <summary>The plain client's floor; <c>CpuSeconds</c> is the benchmark process's CPU while it ran (the client and, in-process, the API server).</summary>
public sealed record FloorResult(int Concurrency, int Apps, double Seconds, long Writes, double WritesPerSecond, double? ConvergeOverFloor, IReadOnlyDictionary<string, long> ByVerbAndResource, double? CpuSeconds = null);

/// <summary>Everything one scale run measured; null phases were skipped or not reached.</summary>
public sealed record ScaleResult(
    RunInfo Run,
    ConvergeResult? Converge,
    SteadyResult? Steady,
    ReleaseResult? Release,
    RestartResult? Restart,
    FloorResult? Floor,
    string? Failure);
