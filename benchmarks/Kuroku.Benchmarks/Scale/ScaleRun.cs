using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Benchmarks.Fleet;
using Kuroku.Testing.ApiServer.Hooks;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Benchmarks.Scale;

/// <summary>
/// One scale run: a fleet of N WebApps, the operator as its own process, and the phases of issue 8
/// (converge, steady state, a new release of every app, restart, the plain-client floor), each timed,
/// with the operator's writes counted by verb and resource and its memory and CPU measured.
/// </summary>
public sealed class ScaleRun(ScaleOptions options, TextWriter progress)
{
    private const string EventsDroppedLog = "Event buffer full";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    private readonly Stopwatch runClock = Stopwatch.StartNew();

    /// <summary>Set when the operator died during a phase (that phase still reports what it measured).</summary>
    private OperatorExitedException? Died { get; set; }

    public async Task<ScaleResult> RunAsync(CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..6];
        var mix = new AppMix(runId, options.Apps, options.AppsPerNamespace, "kb-" + runId);
        var work = Directory.CreateTempSubdirectory("kuroku-bench-").FullName;
        var operatorDll = options.OperatorPath ?? LocateOperator();
        var logPath = options.OperatorLog ?? Path.Combine(work, "operator.log");
        var result = new ScaleResult(
            new RunInfo(
                DateTime.UtcNow, options.Apps,
                mix.Apps.GroupBy(a => AppMix.Slug(a.Kind)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                mix.Namespaces.Count, options.Workers, options.MemoryLimit, options.HeapHardLimitBytes,
                options.Kubeconfig is null ? "in-process API server" : $"cluster of {options.Kubeconfig}",
                operatorDll, OperatorGc(operatorDll, options.HeapHardLimitBytes), Environment.ProcessorCount, LoadAverage(), null,
                options.SteadySeconds, options.Writers),
            null, null, null, null, null, null);

        Say($"run {runId}: {options.Apps} apps in {mix.Namespaces.Count} namespaces, operator {operatorDll}, log {logPath}");
        await using var target = await Target.StartAsync(options, options.Apps * 12, work, cancellationToken);
        OperatorProcess? op = null;
        var namespaces = new List<string>(mix.Namespaces);
        try
        {
            await target.CreateNamespacesAsync(mix.Namespaces, options.Writers, cancellationToken);
            await CreateSecretsAsync(target, mix, cancellationToken);
            op = await OperatorProcess.StartAsync(operatorDll, target.KubeconfigPath, options.Workers, options.HeapHardLimitBytes, logPath, cancellationToken);
            var ready = await op.WaitReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
            Say($"operator pid {op.Pid} ready in {ready.TotalSeconds:F1} s; {(op.HeapProblem is null ? "reading its heap over EventPipe" : "heap unreadable: " + op.HeapProblem)}");

            await using var watch = new FleetWatch(target.Raw, $"{AppMix.RunLabel}={runId}");
            await watch.StartAsync(cancellationToken);

            var (converge, snapshot) = await ConvergeAsync(target, op, watch, mix, cancellationToken);
            result = result with { Converge = converge };
            if (Died is not null)
            {
                return result with { Failure = Died.Message };
            }

            if (!converge.Converged)
            {
                return result with { Failure = $"the fleet did not converge within {options.TimeoutSeconds} s ({converge.ConvergedApps} / {options.Apps})" };
            }

            if (options.Runs(Phase.Steady))
            {
                result = result with { Steady = await SteadyAsync(target, op, cancellationToken) };
            }

            if (options.Runs(Phase.Release))
            {
                var release = await ReleaseAsync(target, op, watch, mix, cancellationToken);
                result = result with { Release = release };
                if (Died is not null)
                {
                    return result with { Failure = Died.Message };
                }

                if (!release.Converged)
                {
                    return result with { Failure = $"the new release did not converge within {options.TimeoutSeconds} s ({release.ConvergedApps} / {options.Apps})" };
                }
            }

            if (options.Runs(Phase.Restart))
            {
                var (restart, restarted) = await RestartAsync(target, op, operatorDll, logPath, cancellationToken);
                op = restarted;
                result = result with { Restart = restart };
            }

            await op.StopAsync(TimeSpan.FromSeconds(60));
            if (options.Runs(Phase.Floor) && snapshot is not null)
            {
                Say("floor: the operator is stopped; preparing the plain client's copy of phase 1's objects");
                namespaces.AddRange(mix.Namespaces.Select(Floor.Namespace));
                var floor = await Floor.RunAsync(target, snapshot, runId, options.EffectiveFloorConcurrency, options.Writers, progress, cancellationToken);
                floor = floor with { ConvergeOverFloor = converge.ConvergeSeconds / floor.Seconds };
                Say($"floor: {floor.Writes} writes in {floor.Seconds:F1} s; converge / floor = {floor.ConvergeOverFloor:F2}");
                result = result with { Floor = floor };
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = result with { Failure = "cancelled" };
        }
        catch (Exception e) when (e is OperatorExitedException or TimeoutException or HttpRequestException or HttpOperationException or Runtime.Abstractions.KubernetesApiException)
        {
            result = result with { Failure = e.Message };
        }
        finally
        {
            if (op is not null)
            {
                await op.DisposeAsync();
            }

            try
            {
                await target.DeleteNamespacesAsync(namespaces, CancellationToken.None);
            }
            catch (HttpOperationException e)
            {
                Say($"could not delete the run's namespaces: {e.Message}");
            }

            result = result with { Run = result.Run with { LoadAverageAtEnd = LoadAverage() } };
        }

        return result;
    }

    /// <summary>Phase 1: create the fleet with the operator running; time until every app is at release 1 with all its children.</summary>
    private async Task<(ConvergeResult Result, IReadOnlyList<AppSnapshot>? Snapshot)> ConvergeAsync(Target target, OperatorProcess op, FleetWatch watch, AppMix mix, CancellationToken ct)
    {
        var meter = await PhaseMeter.StartAsync(target, op, ct);
        watch.BeginPhase(1, meter.Clock);
        Say($"converge: creating {mix.Apps.Count} WebApps with {options.Writers} writers");
        var created = CreateAppsAsync(target, mix, meter.Clock, ct);
        var (converged, lastStatus, died) = await WaitConvergedAsync("converge", op, watch, mix.Apps.Count, meter.Clock, created, ct);
        Died = died;
        var createSeconds = await created;
        target.Raw.TakeListStats();
        var (missing, verifiedAt) = converged ? await VerifyChildrenAsync(target, mix, 1, meter.Clock, ct) : (-1, 0.0);
        var lists = target.Raw.TakeListStats();
        var convergeSeconds = Math.Max(lastStatus, verifiedAt);
        var lastWrite = converged ? await WaitQuietAsync(op, meter.Clock, ct) : meter.Clock.Elapsed.TotalSeconds;
        var end = await meter.EndAsync(mix.Apps.Count);

        var times = watch.ConvergedAt.Values.Select(t => t.TotalSeconds).Order().ToList();
        IReadOnlyDictionary<string, double>? byKind = null;
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? byKindAndVerb = null;
        if (end.Log is { } log)
        {
            var prefix = "kb-" + mix.RunId;
            var perKind = mix.Apps.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => g.Count());
            var tallies = Enum.GetValues<AppKind>().ToDictionary(k => k, k => WriteTally.FromLog(log, r => WriteTally.IsOperatorWrite(r) && AppMix.KindOfNamespace(r.Namespace, prefix) == k));
            byKind = tallies.ToDictionary(t => AppMix.Slug(t.Key), t => (double)t.Value.Total / Math.Max(1, perKind.GetValueOrDefault(t.Key)), StringComparer.Ordinal);
            byKindAndVerb = tallies.ToDictionary(
                t => AppMix.Slug(t.Key),
                t => (IReadOnlyDictionary<string, double>)t.Value.ByVerbAndResource.ToDictionary(kv => kv.Key, kv => (double)kv.Value / Math.Max(1, perKind.GetValueOrDefault(t.Key)), StringComparer.Ordinal),
                StringComparer.Ordinal);
        }

        var result = new ConvergeResult(
            converged && missing == 0, died is not null, watch.ConvergedAt.Count, createSeconds, convergeSeconds,
            watch.ConvergedAt.Count / Math.Max(convergeSeconds, 1e-9),
            Percentile(times, 0.5), Percentile(times, 0.9), lastWrite,
            end.Writes, byKind, byKindAndVerb, Math.Max(missing, 0), op.CountLogLines(EventsDroppedLog), end.Reconciles, end.Resources, lists);
        Say($"converge: {result.ConvergedApps} apps in {convergeSeconds:F1} s ({result.AppsPerSecond:F1} apps/s), {end.Writes.PerApp:F2} writes per app, peak RSS {end.Resources.PeakRssMiB:F0} MiB");

        IReadOnlyList<AppSnapshot>? snapshot = null;
        if (result.Converged && options.Runs(Phase.Floor))
        {
            snapshot = await SnapshotAsync(target, mix, ct);
        }

        return (result, snapshot);
    }

    /// <summary>Phase 2: nothing changes for a while; the operator should write nothing.</summary>
    private async Task<SteadyResult> SteadyAsync(Target target, OperatorProcess op, CancellationToken ct)
    {
        Say($"steady: {options.SteadySeconds} s with no change");
        var meter = await PhaseMeter.StartAsync(target, op, ct);
        await DelayWatchingAsync(op, TimeSpan.FromSeconds(options.SteadySeconds), ct);
        var end = await meter.EndAsync(null);
        Say($"steady: {end.Writes.Total} writes, {end.Reconciles:F0} reconciles");
        return new SteadyResult(meter.Clock.Elapsed.TotalSeconds, end.Writes, end.Reconciles, end.Resources);
    }

    /// <summary>Phase 3: a new image for every app; time until every app runs release 2.</summary>
    private async Task<ReleaseResult> ReleaseAsync(Target target, OperatorProcess op, FleetWatch watch, AppMix mix, CancellationToken ct)
    {
        Say($"release: patching the image of {mix.Apps.Count} apps with {options.Writers} writers");
        var meter = await PhaseMeter.StartAsync(target, op, ct);
        watch.BeginPhase(2, meter.Clock);
        var patched = PatchImagesAsync(target, mix, meter.Clock, ct);
        var (converged, lastStatus, died) = await WaitConvergedAsync("release", op, watch, mix.Apps.Count, meter.Clock, patched, ct);
        Died = died;
        var patchSeconds = await patched;
        var stale = -1;
        var verifiedAt = 0.0;
        if (converged)
        {
            (var missing, verifiedAt) = await VerifyChildrenAsync(target, mix, 2, meter.Clock, ct);
            stale = await StaleDeploymentsAsync(target, mix, ct) + Math.Max(missing, 0);
        }

        var seconds = Math.Max(lastStatus, verifiedAt);
        var lastWrite = converged ? await WaitQuietAsync(op, meter.Clock, ct) : meter.Clock.Elapsed.TotalSeconds;
        var end = await meter.EndAsync(mix.Apps.Count);
        Say($"release: {watch.ConvergedAt.Count} apps in {seconds:F1} s, {end.Writes.PerApp:F2} writes per app");
        return new ReleaseResult(converged && stale == 0, died is not null, watch.ConvergedAt.Count, patchSeconds, seconds, watch.ConvergedAt.Count / Math.Max(seconds, 1e-9),
            lastWrite, end.Writes, Math.Max(stale, 0), end.Resources);
    }

    /// <summary>Phase 4: SIGTERM, then a new operator over the converged fleet: time to caches synced, then what it writes.</summary>
    private async Task<(RestartResult Result, OperatorProcess Restarted)> RestartAsync(Target target, OperatorProcess old, string dll, string logPath, CancellationToken ct)
    {
        Say("restart: SIGTERM to the operator");
        var stop = await old.StopAsync(TimeSpan.FromSeconds(60));
        await old.DisposeAsync();
        var logPosition = target.LogPosition();
        var selfCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var op = await OperatorProcess.StartAsync(dll, target.KubeconfigPath, options.Workers, options.HeapHardLimitBytes, logPath, ct);
        var synced = await op.WaitReadyAsync(TimeSpan.FromSeconds(options.TimeoutSeconds), ct);
        Say($"restart: caches synced in {synced.TotalSeconds:F1} s");

        // Every app comes in as an ADDED event and is reconciled once: wait for that, and at least the steady window.
        double? allReconciled = null;
        var window = synced + TimeSpan.FromSeconds(options.SteadySeconds);
        var deadline = synced + TimeSpan.FromSeconds(options.TimeoutSeconds);
        while (op.Stopwatch.Elapsed < deadline)
        {
            var metrics = await op.MetricsAsync(ct);
            if (allReconciled is null && Sum(metrics, "kuroku_reconciles") >= options.Apps && Sum(metrics, "kuroku_queue_depth") == 0)
            {
                allReconciled = op.Stopwatch.Elapsed.TotalSeconds;
                Say($"restart: every app reconciled once after {allReconciled:F1} s");
            }

            if (allReconciled is not null && op.Stopwatch.Elapsed >= window)
            {
                break;
            }

            await Task.Delay(250, ct);
        }

        var final = await op.MetricsAsync(ct);
        var writes = WriteTally.FromMetrics(final);
        var log = target.Log is null ? null : WriteTally.FromLog(target.LogSince(logPosition), WriteTally.IsOperatorWrite);
        var resources = PhaseMeter.Use(op, op.Rss.Peak, TimeSpan.Zero, Process.GetCurrentProcess().TotalProcessorTime - selfCpu);
        var (startup, sync) = op.CacheSyncFromLog();
        var result = new RestartResult(stop.TotalSeconds, synced.TotalSeconds, startup, sync, allReconciled, op.Stopwatch.Elapsed.TotalSeconds,
            PhaseWrites.Of(writes, null, log), Sum(final, "kuroku_reconciles"), resources);
        Say($"restart: {writes.Total} writes in {result.WindowSeconds:F1} s, peak RSS {resources.PeakRssMiB:F0} MiB");
        return (result, op);
    }

    private async Task CreateSecretsAsync(Target target, AppMix mix, CancellationToken ct)
    {
        var secrets = mix.Apps.SelectMany(AppMix.Secrets).ToList();
        await Parallel.ForEachAsync(secrets, new ParallelOptions { MaxDegreeOfParallelism = options.Writers, CancellationToken = ct }, async (secret, token) =>
        {
            try
            {
                await target.Client.CoreV1.CreateNamespacedSecretAsync(secret, secret.Metadata.NamespaceProperty, cancellationToken: token);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
            }
        });
    }

    private async Task<double> CreateAppsAsync(Target target, AppMix mix, Stopwatch clock, CancellationToken ct)
    {
        await Parallel.ForEachAsync(mix.Apps, new ParallelOptions { MaxDegreeOfParallelism = options.Writers, CancellationToken = ct }, async (app, token) =>
        {
            await target.Client.CustomObjects.CreateNamespacedCustomObjectAsync(mix.WebApp(app), WebAppApi.Group, WebAppApi.Version, app.Namespace, WebAppApi.Plural, cancellationToken: token);
        });
        return clock.Elapsed.TotalSeconds;
    }

    private async Task<double> PatchImagesAsync(Target target, AppMix mix, Stopwatch clock, CancellationToken ct)
    {
        await Parallel.ForEachAsync(mix.Apps, new ParallelOptions { MaxDegreeOfParallelism = options.Writers, CancellationToken = ct }, async (app, token) =>
        {
            var patch = new V1Patch(new { spec = new { image = AppMix.Image(app.Kind, 2) } }, V1Patch.PatchType.MergePatch);
            await target.Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, WebAppApi.Group, WebAppApi.Version, app.Namespace, WebAppApi.Plural, app.Name, cancellationToken: token);
        });
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Waits until every app has converged by the watch; returns whether they did and when the last one did.</summary>
    private async Task<(bool Converged, double LastSeconds, OperatorExitedException? Died)> WaitConvergedAsync(string phase, OperatorProcess op, FleetWatch watch, int apps, Stopwatch clock, Task client, CancellationToken ct)
    {
        var deadline = TimeSpan.FromSeconds(options.TimeoutSeconds);
        var nextReport = TimeSpan.FromSeconds(10);
        while (watch.ConvergedAt.Count < apps && clock.Elapsed < deadline)
        {
            try
            {
                op.ThrowIfExited();
            }
            catch (OperatorExitedException e)
            {
                // What the phase measured until then is still worth reporting (peak RSS before an OOM, for one).
                Say($"{phase}: {e.Message} with {watch.ConvergedAt.Count} / {apps} apps converged; the log's last lines:\n{e.Tail}");
                return (false, watch.ConvergedAt.Values.DefaultIfEmpty().Max().TotalSeconds, e);
            }

            if (client.IsFaulted)
            {
                await client;
            }

            await Task.Delay(200, ct);
            if (clock.Elapsed >= nextReport)
            {
                nextReport += TimeSpan.FromSeconds(10);
                Say($"{phase}: {watch.ConvergedAt.Count} / {apps} apps after {clock.Elapsed.TotalSeconds:F0} s, operator RSS {op.Rss.Peak / 1048576.0:F0} MiB (peak)");
            }
        }

        var converged = watch.ConvergedAt.Count >= apps;
        return (converged, watch.ConvergedAt.Values.DefaultIfEmpty().Max().TotalSeconds, null);
    }

    /// <summary>
    /// Lists every child the operator manages and counts the expected ones that are missing; polls until
    /// none is (at most a minute). Returns the count and, when a second look was needed, when it passed.
    /// </summary>
    private async Task<(int Missing, double VerifiedAt)> VerifyChildrenAsync(Target target, AppMix mix, int release, Stopwatch clock, CancellationToken ct)
    {
        var expected = mix.Apps.ToDictionary(a => a.Key, a => ExpectedChildren.For(mix.WebApp(a), release), StringComparer.Ordinal);
        var namespaces = mix.Namespaces.ToHashSet(StringComparer.Ordinal);
        var first = true;
        var giveUp = clock.Elapsed + TimeSpan.FromMinutes(1);
        while (true)
        {
            var have = new HashSet<(string Key, string Kind, string Name)>();
            foreach (var kind in ResourceKind.Children)
            {
                var (items, _) = await target.Raw.ListAsync(kind, "app.kubernetes.io/managed-by=kuroku", ct);
                foreach (var item in items)
                {
                    var ns = item["metadata"]?["namespace"]?.GetValue<string>() ?? "";
                    var owner = item["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>().FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true);
                    if (namespaces.Contains(ns) && owner?["name"]?.GetValue<string>() is { } app)
                    {
                        have.Add(($"{ns}/{app}", kind.Kind, item["metadata"]?["name"]?.GetValue<string>() ?? ""));
                    }
                }
            }

            var missing = expected.Sum(e => e.Value.Count(c => !have.Contains((e.Key, c.Kind, c.Name))));
            if (missing == 0 || clock.Elapsed >= giveUp)
            {
                return (missing, first ? 0 : clock.Elapsed.TotalSeconds);
            }

            Say($"{missing} expected children missing; looking again");
            first = false;
            await Task.Delay(1000, ct);
        }
    }

    /// <summary>Deployments of the fleet whose pod template does not run release 2's image.</summary>
    private static async Task<int> StaleDeploymentsAsync(Target target, AppMix mix, CancellationToken ct)
    {
        var images = mix.Apps.ToDictionary(a => a.Key, a => AppMix.Image(a.Kind, 2), StringComparer.Ordinal);
        var (items, _) = await target.Raw.ListAsync(ResourceKind.Children.First(k => k.Kind == "Deployment"), "app.kubernetes.io/managed-by=kuroku", ct);
        var stale = 0;
        foreach (var item in items)
        {
            var ns = item["metadata"]?["namespace"]?.GetValue<string>();
            var owner = item["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>().FirstOrDefault()?["name"]?.GetValue<string>();
            if (images.TryGetValue($"{ns}/{owner}", out var image)
                && item["spec"]?["template"]?["spec"]?["containers"]?.AsArray().Any(c => c?["image"]?.GetValue<string>() == image) != true)
            {
                stale++;
            }
        }

        return stale;
    }

    /// <summary>Polls the operator's write counter until it stays still for a few seconds; returns when it last moved.</summary>
    private async Task<double> WaitQuietAsync(OperatorProcess op, Stopwatch clock, CancellationToken ct)
    {
        var last = (await op.WritesAsync(ct)).Total;
        var lastChange = clock.Elapsed;
        var giveUp = clock.Elapsed + TimeSpan.FromSeconds(Math.Max(120, options.Apps / 10));
        while (clock.Elapsed - lastChange < Quiet && clock.Elapsed < giveUp)
        {
            await Task.Delay(500, ct);
            var now = (await op.WritesAsync(ct)).Total;
            if (now != last)
            {
                last = now;
                lastChange = clock.Elapsed;
            }
        }

        return lastChange.TotalSeconds;
    }

    private static async Task DelayWatchingAsync(OperatorProcess op, TimeSpan duration, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < duration)
        {
            op.ThrowIfExited();
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, Math.Max(1, (duration - until.Elapsed).TotalMilliseconds))), ct);
        }
    }

    /// <summary>What the operator wrote for each app, read back from the server, for the floor.</summary>
    private static async Task<IReadOnlyList<AppSnapshot>> SnapshotAsync(Target target, AppMix mix, CancellationToken ct)
    {
        var byApp = mix.Apps.ToDictionary(a => a.Key, _ => new List<JsonObject>(), StringComparer.Ordinal);
        foreach (var kind in ResourceKind.Children)
        {
            var (items, _) = await target.Raw.ListAsync(kind, "app.kubernetes.io/managed-by=kuroku", ct);
            foreach (var item in items)
            {
                var ns = item["metadata"]?["namespace"]?.GetValue<string>();
                var owner = item["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>().FirstOrDefault()?["name"]?.GetValue<string>();
                if (byApp.TryGetValue($"{ns}/{owner}", out var list))
                {
                    item["kind"] = kind.Kind;
                    item["apiVersion"] = kind.Group.Length == 0 ? kind.Version : $"{kind.Group}/{kind.Version}";
                    list.Add(item);
                }
            }
        }

        var events = mix.Apps.ToDictionary(a => a.Key, _ => new List<JsonObject>(), StringComparer.Ordinal);
        var (allEvents, _) = await target.Raw.ListAsync(ResourceKind.Events, null, ct);
        foreach (var e in allEvents)
        {
            var key = $"{e["involvedObject"]?["namespace"]?.GetValue<string>()}/{e["involvedObject"]?["name"]?.GetValue<string>()}";
            if (events.TryGetValue(key, out var list))
            {
                e["kind"] = "Event";
                e["apiVersion"] = "v1";
                list.Add(e);
            }
        }

        var (apps, _) = await target.Raw.ListAsync(ResourceKind.WebApps, $"{AppMix.RunLabel}={mix.RunId}", ct);
        var webApps = apps.ToDictionary(a => $"{a["metadata"]?["namespace"]?.GetValue<string>()}/{a["metadata"]?["name"]?.GetValue<string>()}", StringComparer.Ordinal);
        return [.. mix.Apps.Select(a => new AppSnapshot(a, webApps[a.Key], byApp[a.Key], events[a.Key]))];
    }

    private void Say(string message) =>
        progress.WriteLine($"[{runClock.Elapsed.TotalSeconds,7:F1} s] {message}");

    private static double Sum(IEnumerable<Sample> samples, string prefix) =>
        samples.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal) && !s.Name.EndsWith("_created", StringComparison.Ordinal)).Sum(s => s.Value);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>How the operator's GC runs: its runtimeconfig's mode, and the cap when there is one.</summary>
    private static string OperatorGc(string dll, long? hardLimit)
    {
        var config = Path.ChangeExtension(dll, ".runtimeconfig.json");
        var server = File.Exists(config) && JsonNode.Parse(File.ReadAllText(config))?["runtimeOptions"]?["configProperties"]?["System.GC.Server"]?.GetValue<bool>() == true;
        return (server ? "server" : "workstation") + (hardLimit is { } h ? $", GCHeapHardLimit 0x{h:X}" : ", no heap limit");
    }

    /// <summary>operator/bin/&lt;configuration&gt;/net10.0/Kuroku.Operator.dll of this repository, built with this benchmark.</summary>
    private static string LocateOperator()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "operator", "Kuroku.Operator.csproj")))
            {
                var dll = Path.Combine(dir.FullName, "operator", "bin", configuration, "net10.0", "Kuroku.Operator.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new FileNotFoundException($"{dll} is not built: dotnet build operator -c {configuration}, or pass --operator PATH");
            }
        }

        throw new FileNotFoundException("cannot find this repository's operator/ above the benchmark's binaries; pass --operator PATH");
    }

    /// <summary>Measures one phase: the operator's writes (its /metrics, and the server's log when in-process), memory, CPU, reconciles.</summary>
    private sealed class PhaseMeter
    {
        private readonly Target target;
        private readonly OperatorProcess op;
        private readonly WriteTally writes;
        private readonly double reconciles;
        private readonly int logPosition;
        private readonly TimeSpan operatorCpu;
        private readonly TimeSpan selfCpu;

        private PhaseMeter(Target target, OperatorProcess op, WriteTally writes, double reconciles, int logPosition)
        {
            this.target = target;
            this.op = op;
            this.writes = writes;
            this.reconciles = reconciles;
            this.logPosition = logPosition;
            operatorCpu = op.CpuTime;
            selfCpu = Process.GetCurrentProcess().TotalProcessorTime;
            Clock = Stopwatch.StartNew();
        }

        public Stopwatch Clock { get; }

        public static async Task<PhaseMeter> StartAsync(Target target, OperatorProcess op, CancellationToken ct)
        {
            var metrics = await op.MetricsAsync(ct);
            op.Rss.Reset();
            op.ManagedHeap.Reset();
            op.GcCommitted.Reset();
            return new PhaseMeter(target, op, WriteTally.FromMetrics(metrics), Sum(metrics, "kuroku_reconciles"), target.LogPosition());
        }

        public async Task<(PhaseWrites Writes, double Reconciles, ResourceUse Resources, IReadOnlyList<RequestRecord>? Log)> EndAsync(int? apps)
        {
            IReadOnlyList<Sample>? metrics = null;
            try
            {
                metrics = await op.MetricsAsync(CancellationToken.None);
            }
            catch (OperatorExitedException)
            {
                // Its counters died with it: the server's log still has its writes (in-process).
            }

            var log = target.Log is null ? null : target.LogSince(logPosition);
            var fromLog = log is null ? null : WriteTally.FromLog(log, WriteTally.IsOperatorWrite);
            var tally = metrics is null ? fromLog ?? new WriteTally() : WriteTally.FromMetrics(metrics).Minus(writes);
            return (PhaseWrites.Of(tally, apps, fromLog), metrics is null ? 0 : Sum(metrics, "kuroku_reconciles") - reconciles,
                Use(op, op.Rss.Peak, operatorCpu, Process.GetCurrentProcess().TotalProcessorTime - selfCpu), log);
        }

        public static ResourceUse Use(OperatorProcess op, long peakRss, TimeSpan cpuBefore, TimeSpan selfCpu)
        {
            static double MiB(long bytes) => bytes / 1048576.0;
            return new ResourceUse(
                MiB(peakRss), MiB(op.HighWaterMark),
                op.HeapProblem is null && op.ManagedHeap.Peak > 0 ? MiB(op.ManagedHeap.Peak) : null,
                op.HeapProblem is null && op.GcCommitted.Peak > 0 ? MiB(op.GcCommitted.Peak) : null,
                (op.CpuTime - cpuBefore).TotalSeconds, selfCpu.TotalSeconds);
        }
    }
}
