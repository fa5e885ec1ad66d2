using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuroku.Benchmarks.Scale;

/// <summary>The results as a markdown table (stdout) and as JSON (--out). Pure.</summary>
public static class Report
{
    /// <summary>Issue 8's targets.</summary>
    public const double MaxWritesPerMinimalApp = 6;
    public const double MaxPeakRssMiB = 250;
    public const double MaxConvergeOverFloor = 1.25;
    public const int FleetTarget = 10_000;

    /// <summary>The metric column of every row the table has, in order; a skipped phase shows "skipped" in its rows.</summary>
    public static readonly IReadOnlyList<string> Rows =
    [
        "converged apps",
        "time to converge (from the first create)",
        "apps/s",
        "p50 / p90 app converged at",
        "client created all apps in",
        "last operator write at",
        "writes per app",
        "writes per minimal app (web only)",
        "writes per app: web+worker / hosts+static / secret config",
        "children missing after converge",
        "'Event buffer full' warnings in the operator's log",
        "reconciles",
        "peak RSS / VmHWM",
        "peak managed heap / GC committed",
        "CPU: operator / benchmark (API server + clients)",
        "steady: writes (target 0)",
        "steady: reconciles",
        "steady: peak RSS",
        "release: time to release every app",
        "release: apps/s",
        "release: client patched all apps in",
        "release: writes per app",
        "release: Deployments without the new image",
        "release: peak RSS / managed heap",
        "release: CPU operator / benchmark",
        "restart: SIGTERM to exit",
        "restart: time to caches synced (/readyz)",
        "restart: time to reconcile every app once",
        "restart: writes (target 0)",
        "restart: reconciles",
        "restart: peak RSS / managed heap",
        "floor: plain client writing the same objects",
        "floor: writes / writes per s",
        "floor: CPU benchmark (client + API server)",
        "converge / floor (target <= 1.25)",
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string ToJson(ScaleResult result) => JsonSerializer.Serialize(result, Json);

    public static string Markdown(ScaleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var r = result.Run;
        var c = result.Converge;
        var s = result.Steady;
        var rel = result.Release;
        var rs = result.Restart;
        var f = result.Floor;
        var heap = r.HeapHardLimitBytes is { } h ? $"heap capped at {Mib(h)} (limit {r.MemoryLimit})" : "heap uncapped";
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Kuroku scale benchmark: {r.Apps} WebApps, {r.Workers} workers, {heap}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{r.Target}; {r.Namespaces} namespaces; kinds {string.Join(", ", r.AppsByKind.Select(k => $"{k.Key} {k.Value}"))}; operator GC {r.OperatorGc}; " +
            $"started {r.StartedAtUtc:yyyy-MM-dd HH:mm} UTC on {r.Cores} cores, load average {r.LoadAverageAtStart} at start, {r.LoadAverageAtEnd ?? "?"} at end.");
        md.AppendLine();
        md.AppendLine("| Metric | Value |");
        md.AppendLine("|---|---|");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        const string Skipped = "skipped";
        void Row(string name, string value) => values[name] = value;

        Row(Rows[0], c is null ? "not reached" : $"{c.ConvergedApps} / {r.Apps}{(c.Converged ? "" : c.OperatorDied ? " (the operator died)" : " (timed out)")}");
        Row(Rows[1], c is null ? "-" : Sec(c.ConvergeSeconds));
        Row(Rows[2], c is null ? "-" : F(c.AppsPerSecond, 1));
        Row(Rows[3], c is null ? "-" : $"{Sec(c.P50Seconds)} / {Sec(c.P90Seconds)}");
        Row(Rows[4], c is null ? "-" : $"{Sec(c.CreateSeconds)} ({r.Writers} writers)");
        Row(Rows[5], c is null ? "-" : Sec(c.LastWriteSeconds));
        Row(Rows[6], c is null ? "-" : $"{F(c.Writes.PerApp, 2)} ({c.Writes.Total}{CrossCheck(c.Writes)})");
        Row(Rows[7], c?.WritesPerAppByKind is { } k1 ? $"{F(Get(k1, "web"), 2)} (target <= {MaxWritesPerMinimalApp})" : "n/a (needs the in-process server's request log)");
        Row(Rows[8], c?.WritesPerAppByKind is { } k2 ? $"{F(Get(k2, "worker"), 2)} / {F(Get(k2, "static"), 2)} / {F(Get(k2, "config"), 2)}" : "n/a");
        Row(Rows[9], c is null ? "-" : c.MissingChildren.ToString(CultureInfo.InvariantCulture));
        Row(Rows[10], c is null ? "-" : c.EventsDropped.ToString(CultureInfo.InvariantCulture));
        Row(Rows[11], c is null ? "-" : F(c.Reconciles, 0));
        Row(Rows[12], c is null ? "-" : $"{F(c.Resources.PeakRssMiB, 1)} MiB / {F(c.Resources.HighWaterMarkMiB, 1)} MiB");
        Row(Rows[13], c is null ? "-" : $"{MiB(c.Resources.PeakManagedHeapMiB)} / {MiB(c.Resources.PeakGcCommittedMiB)}");
        Row(Rows[14], c is null ? "-" : Cpu(c.Resources));
        Row(Rows[15], s is null ? Skipped : $"{s.Writes.Total} in {Sec(s.Seconds)}{CrossCheck(s.Writes)}");
        Row(Rows[16], s is null ? Skipped : F(s.Reconciles, 0));
        Row(Rows[17], s is null ? Skipped : $"{F(s.Resources.PeakRssMiB, 1)} MiB");
        Row(Rows[18], rel is null ? Skipped : $"{Sec(rel.ConvergeSeconds)}{(rel.Converged ? "" : $" ({(rel.OperatorDied ? "the operator died" : "timed out")}, {rel.ConvergedApps} / {r.Apps})")}");
        Row(Rows[19], rel is null ? Skipped : F(rel.AppsPerSecond, 1));
        Row(Rows[20], rel is null ? Skipped : Sec(rel.PatchSeconds));
        Row(Rows[21], rel is null ? Skipped : $"{F(rel.Writes.PerApp, 2)} ({rel.Writes.Total}{CrossCheck(rel.Writes)})");
        Row(Rows[22], rel is null ? Skipped : rel.StaleDeployments.ToString(CultureInfo.InvariantCulture));
        Row(Rows[23], rel is null ? Skipped : $"{F(rel.Resources.PeakRssMiB, 1)} MiB / {MiB(rel.Resources.PeakManagedHeapMiB)}");
        Row(Rows[24], rel is null ? Skipped : Cpu(rel.Resources));
        Row(Rows[25], rs is null ? Skipped : Sec(rs.StopSeconds));
        Row(Rows[26], rs is null ? Skipped : Sec(rs.CachesSyncedSeconds)
            + (rs.StartupSeconds is { } up && rs.CacheSyncSeconds is { } sync ? $" (start-up {Sec(up)}, then LISTs to synced {Sec(sync)}, by the operator's log)" : ""));
        Row(Rows[27], rs is null ? Skipped : rs.AllReconciledSeconds is { } all ? Sec(all) : "not within the window");
        Row(Rows[28], rs is null ? Skipped : $"{rs.Writes.Total} in {Sec(rs.WindowSeconds)}{CrossCheck(rs.Writes)}");
        Row(Rows[29], rs is null ? Skipped : F(rs.Reconciles, 0));
        Row(Rows[30], rs is null ? Skipped : $"{F(rs.Resources.PeakRssMiB, 1)} MiB / {MiB(rs.Resources.PeakManagedHeapMiB)}");
        Row(Rows[31], f is null ? Skipped : $"{Sec(f.Seconds)} ({f.Apps} apps, concurrency {f.Concurrency})");
        Row(Rows[32], f is null ? Skipped : $"{f.Writes} / {F(f.WritesPerSecond, 1)}");
        Row(Rows[33], f is null ? Skipped : f.CpuSeconds is { } floorCpu ? Sec(floorCpu) : "-");
        Row(Rows[34], f?.ConvergeOverFloor is { } ratio ? F(ratio, 2) : f is null ? Skipped : "-");
        foreach (var name in Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {values[name]} |");
        }

        md.AppendLine();
        md.AppendLine("### Writes by verb and resource");
        md.AppendLine();
        md.AppendLine("Counts include the writes the server refused (409 AlreadyExists/Conflict), shown in parentheses.");
        md.AppendLine();
        md.AppendLine("| verb resource | converge, per app | steady | release, per app | restart | floor, per app |");
        md.AppendLine("|---|---|---|---|---|---|");
        var keys = new[] { c?.Writes.ByVerbAndResource, s?.Writes.ByVerbAndResource, rel?.Writes.ByVerbAndResource, rs?.Writes.ByVerbAndResource, f?.ByVerbAndResource }
            .Where(d => d is not null).SelectMany(d => d!.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {key} | {PerApp(c?.Writes, key, r.Apps)} | {Count(s?.Writes, key)} | {PerApp(rel?.Writes, key, r.Apps)} | {Count(rs?.Writes, key)} | {PerApp(f?.ByVerbAndResource, key, f?.Apps ?? r.Apps)} |");
        }

        if (c?.WritesPerAppByKindAndVerb is { } byKind)
        {
            md.AppendLine();
            md.AppendLine("### Converge: writes per app by kind (server log)");
            md.AppendLine();
            var kinds = byKind.Keys.ToList();
            md.AppendLine("| verb resource | " + string.Join(" | ", kinds) + " |");
            md.AppendLine("|---|" + string.Concat(kinds.Select(_ => "---|")));
            foreach (var key in byKind.Values.SelectMany(v => v.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                var cells = string.Join(" | ", kinds.Select(k => byKind[k].TryGetValue(key, out var v) ? F(v, 2) : ""));
                md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {cells} |");
            }
        }

        if (c?.ListsAfterConverge is { Count: > 0 } lists)
        {
            md.AppendLine();
            md.AppendLine("### LISTs after converge (this benchmark's client, every namespace, managed-by=kuroku)");
            md.AppendLine();
            md.AppendLine("| resource | items | MB | pages | seconds |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var l in lists)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {l.Resource} | {l.Items} | {F(l.Bytes / 1e6, 1)} | {l.Pages} | {F(l.Seconds, 2)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("### Targets (issue 8)");
        md.AppendLine();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets(result))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {measured} | {met} |");
        }

        if (result.Failure is not null)
        {
            md.AppendLine();
            md.AppendLine("**The run stopped early:** " + result.Failure.ReplaceLineEndings(" "));
        }

        return md.ToString();
    }

    /// <summary>Each target of issue 8 with what this run measured, and whether it is met ("n/a" when the run cannot tell).</summary>
    public static IReadOnlyList<(string Target, string Measured, string Met)> Targets(ScaleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var r = result.Run;
        var c = result.Converge;
        var big = r.Apps >= FleetTarget;
        string Met(bool? ok) => ok switch { true => "yes", false => "no", null => "n/a" };
        // Writes per app mean something only for a fleet that converged.
        var minimal = c is { Converged: true, WritesPerAppByKind: { } k } ? Get(k, "web") : (double?)null;
        return
        [
            ($"{FleetTarget} WebApps converge on one replica", c is null ? "-" : $"{c.ConvergedApps} / {r.Apps} converged", Met(c is null ? null : big ? c.Converged : null)),
            ($"at most {MaxWritesPerMinimalApp} writes per new minimal app", F(minimal, 2), Met(minimal is { } m ? m <= MaxWritesPerMinimalApp : null)),
            ("0 writes in steady state", result.Steady?.Writes.Total.ToString(CultureInfo.InvariantCulture) ?? "-", Met(result.Steady is { } s ? s.Writes.Total == 0 : null)),
            ("0 writes on a restart over the converged apps", result.Restart?.Writes.Total.ToString(CultureInfo.InvariantCulture) ?? "-", Met(result.Restart is { } rs ? rs.Writes.Total == 0 : null)),
            ($"peak RSS at most {MaxPeakRssMiB} MiB at {FleetTarget} apps, heap capped", c is null ? "-" : $"{F(PeakRss(result), 1)} MiB",
                Met(c is not null && big && r.HeapHardLimitBytes is not null ? PeakRss(result) <= MaxPeakRssMiB : null)),
            ($"time to converge at most {MaxConvergeOverFloor}x the floor", F(result.Floor?.ConvergeOverFloor, 2), Met(result.Floor?.ConvergeOverFloor is { } x ? x <= MaxConvergeOverFloor : null)),
        ];
    }

    /// <summary>The highest RSS of any phase.</summary>
    public static double PeakRss(ScaleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new[] { result.Converge?.Resources, result.Steady?.Resources, result.Release?.Resources, result.Restart?.Resources }
            .Where(x => x is not null).Select(x => Math.Max(x!.PeakRssMiB, x.HighWaterMarkMiB)).DefaultIfEmpty(0).Max();
    }

    private static double? Get(IReadOnlyDictionary<string, double> d, string key) => d.TryGetValue(key, out var v) ? v : null;

    private static string CrossCheck(PhaseWrites w) =>
        (w.Rejected > 0 ? $", {w.Rejected} rejected by the server" : "")
        + (w.ServerLogTotal is { } log ? (log == w.Total ? "; server log agrees" : $"; server log counts {log}") : "");

    private static string Cpu(ResourceUse u) => $"{F(u.OperatorCpuSeconds, 1)} s / {F(u.BenchmarkCpuSeconds, 1)} s";

    private static string PerApp(IReadOnlyDictionary<string, long>? d, string key, int apps) =>
        d is not null && d.TryGetValue(key, out var n) ? F((double)n / apps, 2) : "";

    private static string PerApp(PhaseWrites? w, string key, int apps) =>
        PerApp(w?.ByVerbAndResource, key, apps) + (w?.RejectedByVerbAndResource.TryGetValue(key, out var n) == true ? $" ({F((double)n / apps, 2)})" : "");

    private static string Count(PhaseWrites? w, string key) =>
        (w is not null && w.ByVerbAndResource.TryGetValue(key, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "")
        + (w?.RejectedByVerbAndResource.TryGetValue(key, out var r) == true ? $" ({r.ToString(CultureInfo.InvariantCulture)})" : "");

    private static string Sec(double seconds) => $"{F(seconds, 1)} s";

    private static string MiB(double? mib) => mib is { } m ? $"{F(m, 1)} MiB" : "n/a";

    private static string Mib(long bytes) => $"{(bytes / 1024.0 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB";

    private static string F(double? value, int decimals) =>
        value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";
}
