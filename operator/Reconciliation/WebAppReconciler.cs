using System.Text;
using FluentValidation;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.Reconciliation.Status;
using Kuroku.Operator.Telemetry;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation;

/// <summary>What a reconcile asks of the queue.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Done { get; } = new();
}

/// <summary>What create-or-update did with one child.</summary>
public enum ApplyOutcome
{
    Unchanged,
    Created,
    Updated,
    Conflict,
}

/// <summary>
/// The level-triggered reconcile of one WebApp: read it from the cache, validate, make every child
/// match the desired state (create, update only owned fields that differ, delete what is no longer
/// desired), then write status only if it changed. Safe to run twice; knows nothing about queues.
/// </summary>
public sealed class WebAppReconciler(
    IClusterReader reader,
    IClusterWriter writer,
    IEventRecorder events,
    IValidator<WebApp> validator,
    OperatorOptions options,
    TimeProvider clock,
    ILogger<WebAppReconciler> logger)
{
    private const int ConflictRetries = 3;

    public async Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var app = reader.GetWebApp(@namespace, name);
        if (app is null || app.Metadata.DeletionTimestamp is not null)
        {
            // Gone or going: the garbage collector removes the children through their owner references.
            return ReconcileResult.Done;
        }

        var validation = await validator.ValidateAsync(app, cancellationToken);
        if (!validation.IsValid)
        {
            var errors = validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ToList();
            var wasInvalid = app.Status?.Conditions?.Any(c => c.Type == Conditions.Ready
                && c.Reason == Conditions.Reasons.InvalidSpec && c.Message == string.Join("; ", errors)) == true;
            if (!wasInvalid)
            {
                events.Record(app, EventType.Warning, Conditions.Reasons.InvalidSpec, string.Join("; ", errors));
            }

            logger.LogWarning("WebApp {Namespace}/{Name} is invalid: {Errors}", @namespace, name, string.Join("; ", errors));
            await WriteStatusAsync(app, new Observation(errors, new Dictionary<string, V1Deployment>(), [], null), cancellationToken);
            return ReconcileResult.Done;
        }

        if (app.Status?.ObservedGeneration != app.Metadata.Generation)
        {
            ExplainIgnoredReplicas(app);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (history, live, configMissing, recheck) = await ReleaseAsync(app, now, cancellationToken);

        // What runs is always exactly one recorded release: the builders see the live release's image,
        // config and commands, and the spec's scaling, routing and maintenance.
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired = live is null
            ? []
            : DesiredState.Build(ReleaseView.For(app, live.Snapshot), options, live.Snapshot.ConfigHash);
        var problems = new List<string>();
        var deployments = new Dictionary<string, V1Deployment>(StringComparer.Ordinal);
        foreach (var child in desired)
        {
            var (outcome, current) = await ApplyAsync(app, child, cancellationToken);
            if (outcome == ApplyOutcome.Conflict)
            {
                problems.Add($"{child.Kind} {child.Metadata.Name} exists and is not controlled by this WebApp");
            }
            else if (current is V1Deployment deployment)
            {
                deployments[deployment.Metadata.Name] = deployment;
            }
        }

        if (live is not null)
        {
            await PruneAsync(app, desired, history, cancellationToken);
        }

        var byProcess = app.Spec.Processes.Keys
            .Where(p => deployments.ContainsKey(ChildName(app, p)))
            .ToDictionary(p => p, p => deployments[ChildName(app, p)], StringComparer.Ordinal);
        var webSelector = desired.OfType<V1Deployment>()
            .FirstOrDefault(d => d.Metadata.Name == ChildName(app, WebAppApi.WebProcess))?.Spec?.Selector?.MatchLabels;
        var selector = webSelector is null
            ? null
            : string.Join(",", webSelector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

        await WriteStatusAsync(app, new Observation([], byProcess, problems, selector, history, configMissing), cancellationToken);
        return recheck is null ? ReconcileResult.Done : new ReconcileResult(recheck);
    }

    /// <summary>
    /// Records a new release when the spec (or the config data it refers to) asks for one, drives the
    /// release phase of the latest release, and bounds the history. Returns the history after that,
    /// the live release, what referenced config is missing, and when to look again.
    /// </summary>
    private async Task<(IReadOnlyList<Release> History, Release? Live, IReadOnlyList<string> ConfigMissing, TimeSpan? Recheck)> ReleaseAsync(
        WebApp app, DateTime now, CancellationToken ct)
    {
        var ns = app.Metadata.NamespaceProperty;
        var history = reader.ListOwned<V1ControllerRevision>(ns, app.Metadata.Uid)
            .Select(ReleaseRevisions.FromRevision)
            .OfType<Release>()
            .ToList();

        var resolved = ConfigReferences.Resolve(ConfigReferences.Collect(app), (kind, name) => Lookup(ns, kind, name));
        if (resolved.Missing.Count > 0)
        {
            // Without the data there is no telling what the release would be: make none, keep serving.
            var message = string.Join("; ", resolved.Missing);
            var said = app.Status?.Conditions?.Any(c => c.Reason == Conditions.Reasons.ConfigMissing && c.Message?.EndsWith(message, StringComparison.Ordinal) == true) == true;
            if (!said)
            {
                events.Record(app, EventType.Warning, Conditions.Reasons.ConfigMissing, message);
            }

            return (history, ReleasePlanner.Live(history), resolved.Missing, null);
        }

        var plan = ReleasePlanner.Plan(app, ReleasePlanner.Snapshot(app, resolved.Digest), history, now);
        var latest = plan.Latest;
        if (plan.Created)
        {
            try
            {
                await writer.CreateAsync(ReleaseRevisions.ToRevision(app, latest), ct);
            }
            catch (ApiException e) when (e.Failure == ApiFailure.AlreadyExists)
            {
                // An earlier pass recorded it and the cache has not caught up: try again shortly, quietly.
                throw new ApiException(ApiFailure.Conflict, 409, $"release v{latest.Version} is already recorded; waiting for the cache", e);
            }

            history.Add(latest);
            KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "created"));
            events.Record(app, EventType.Normal, "ReleaseCreated", $"Release v{latest.Version} created: {latest.Reason}");
            if (latest.Phase == ReleasePhases.Succeeded)
            {
                // No release phase: the release is live at once.
                KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
                events.Record(app, EventType.Normal, "Released", $"v{latest.Version} is live");
            }
        }

        if (!plan.Created && latest.Phase is ReleasePhases.Pending or ReleasePhases.Running
            && reader.Get<V1Job>(ns, ReleaseJob.Name(app, latest.Version)) is null
            && await FreshReleaseAsync(app, latest.Version, ct) is { } fresh && fresh.Phase != latest.Phase)
        {
            // The cache can lag behind this operator's own last write: a release the timeout backstop
            // already failed (and whose Job it deleted) still reads as Running, with no Job. Believe the
            // server, or the release command would be started again for a release that is over.
            latest = fresh;
            history[history.FindIndex(r => r.Version == fresh.Version)] = fresh;
        }

        TimeSpan? recheck = null;
        if (latest.Phase is ReleasePhases.Pending or ReleasePhases.Running)
        {
            var (state, retry) = await ReleasePhaseAsync(app, latest, now, ct);
            recheck = retry;
            if (state.Phase != latest.Phase || state.Message != latest.Message)
            {
                var updated = latest with { Phase = state.Phase, Message = state.Message };
                await UpdateReleaseAsync(app, updated, ct);
                history[history.FindIndex(r => r.Version == latest.Version)] = updated;
                ReportPhase(app, updated, ReleasePlanner.Live(history));
            }
        }

        await TrimHistoryAsync(app, history, ct);
        return (history, ReleasePlanner.Live(history), [], recheck);
    }

    /// <summary>Runs (or watches) the release phase Job of a pending release.</summary>
    private async Task<(ReleasePhaseState State, TimeSpan? Recheck)> ReleasePhaseAsync(WebApp app, Release release, DateTime now, CancellationToken ct)
    {
        var job = ReleaseJob.Build(app, release.Version, release.Snapshot);
        if (job is null)
        {
            // The release command was removed while the release waited: nothing to run, it goes live.
            return (new ReleasePhaseState(ReleasePhases.Succeeded, null, null), null);
        }

        var (outcome, current) = await ApplyAsync(app, job, ct);
        if (outcome == ApplyOutcome.Conflict)
        {
            return (new ReleasePhaseState(ReleasePhases.Failed, $"Job {job.Metadata.Name} exists and is not controlled by this WebApp", null), null);
        }

        var timeout = app.Spec.Release?.TimeoutSeconds ?? Defaults.ReleaseTimeoutSeconds;
        var state = ReleasePhaseObserver.Observe(current as V1Job, timeout, release.CreatedAt, now);
        if (state.Phase == ReleasePhases.Pending)
        {
            state = state with { Phase = ReleasePhases.Running };
        }

        var jobFailedItself = (current as V1Job)?.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true;
        if (state.Phase == ReleasePhases.Failed && !jobFailedItself && current is not null)
        {
            // The operator's own timeout backstop fired: stop the command so it cannot finish late.
            await DeleteQuietlyAsync<V1Job>(current.Metadata.NamespaceProperty, current.Metadata.Name, current.Metadata.Uid, ct);
        }

        return (state, state.RecheckAfter);
    }

    private void ReportPhase(WebApp app, Release release, Release? live)
    {
        switch (release.Phase)
        {
            case ReleasePhases.Succeeded:
                KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
                events.Record(app, EventType.Normal, "ReleaseSucceeded", $"Release phase of v{release.Version} succeeded; v{release.Version} is live");
                break;
            case ReleasePhases.Failed:
                KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "failed"));
                var serving = live is null ? "no release is live yet" : $"v{live.Version} keeps serving";
                events.Record(app, EventType.Warning, "ReleaseFailed", $"Release v{release.Version} failed: {release.Message}; {serving}");
                break;
            case ReleasePhases.Running:
                events.Record(app, EventType.Normal, "ReleasePhaseStarted", $"Release phase of v{release.Version} started: Job {ReleaseJob.Name(app, release.Version)}");
                break;
        }
    }

    /// <summary>A release as the API server has it now, bypassing the cache; null when its revision is gone.</summary>
    private async Task<Release?> FreshReleaseAsync(WebApp app, int version, CancellationToken ct) =>
        await writer.GetFreshAsync<V1ControllerRevision>(app.Metadata.NamespaceProperty, ReleaseRevisions.Name(app, version), ct) is { } revision
            ? ReleaseRevisions.FromRevision(revision)
            : null;

    private async Task UpdateReleaseAsync(WebApp app, Release release, CancellationToken ct)
    {
        var name = ReleaseRevisions.Name(app, release.Version);
        var wanted = ReleaseRevisions.ToRevision(app, release);
        for (var attempt = 0; ; attempt++)
        {
            var live = attempt == 0
                ? reader.Get<V1ControllerRevision>(app.Metadata.NamespaceProperty, name)
                : await writer.GetFreshAsync<V1ControllerRevision>(app.Metadata.NamespaceProperty, name, ct);
            if (live is null)
            {
                await writer.CreateAsync(wanted, ct);
                return;
            }

            live.Metadata.Annotations = wanted.Metadata.Annotations;
            try
            {
                await writer.UpdateAsync(live, ct);
                return;
            }
            catch (ApiException e) when (e.Failure == ApiFailure.Conflict && attempt < ConflictRetries)
            {
            }
        }
    }

    /// <summary>Keeps the last <see cref="ReleaseRevisions.HistoryLimit"/> releases, and always the live and latest ones.</summary>
    private async Task TrimHistoryAsync(WebApp app, List<Release> history, CancellationToken ct)
    {
        var keep = history.OrderByDescending(r => r.Version).Take(ReleaseRevisions.HistoryLimit).Select(r => r.Version).ToHashSet();
        if (ReleasePlanner.Live(history) is { } live)
        {
            keep.Add(live.Version);
        }

        foreach (var old in history.Where(r => !keep.Contains(r.Version)).ToList())
        {
            var name = ReleaseRevisions.Name(app, old.Version);
            if (reader.Get<V1ControllerRevision>(app.Metadata.NamespaceProperty, name) is { } revision)
            {
                await DeleteQuietlyAsync<V1ControllerRevision>(app.Metadata.NamespaceProperty, name, revision.Metadata.Uid, ct);
            }

            history.Remove(old);
        }
    }

    /// <summary>The data of a referenced Secret (data, then stringData as the API server merges them) or ConfigMap.</summary>
    private Dictionary<string, byte[]>? Lookup(string ns, string kind, string name)
    {
        if (kind == "Secret")
        {
            if (reader.Get<V1Secret>(ns, name) is not { } secret)
            {
                return null;
            }

            var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                data[key] = Encoding.UTF8.GetBytes(value);
            }

            return data;
        }

        return reader.Get<V1ConfigMap>(ns, name) is { } map
            ? (map.Data ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal)
            : null;
    }

    private async Task DeleteQuietlyAsync<T>(string ns, string name, string uid, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await writer.DeleteAsync<T>(ns, name, uid, ct);
        }
        catch (ApiException e) when (e.Failure is ApiFailure.NotFound or ApiFailure.Conflict)
        {
        }
    }

    /// <summary>
    /// `kubectl scale` on an autoscaled process writes replicas that the HPA, not the operator, owns:
    /// say so once per spec change (a replicas other than the default is a deliberate setting).
    /// </summary>
    private void ExplainIgnoredReplicas(WebApp app)
    {
        foreach (var (name, process) in app.Spec.Processes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (process?.Autoscaling is { } auto && process.Replicas is { } replicas && replicas != Defaults.Replicas)
            {
                events.Record(app, EventType.Warning, "ReplicasIgnored",
                    $"spec.processes.{name}.replicas ({replicas}) has no effect while spec.processes.{name}.autoscaling is set: " +
                    $"the HorizontalPodAutoscaler keeps {auto.MinReplicas ?? Defaults.AutoscalingMinReplicas}-{auto.MaxReplicas} replicas; change autoscaling.minReplicas/maxReplicas instead");
            }
        }
    }

    private static string ChildName(WebApp app, string process) => ChildNames.Process(app.Metadata.Name, process);

    private Task<(ApplyOutcome, IKubernetesObject<V1ObjectMeta>?)> ApplyAsync(
        WebApp app, IKubernetesObject<V1ObjectMeta> child, CancellationToken ct) => child switch
    {
        V1Deployment o => ApplyTypedAsync(app, o, ct),
        V1Service o => ApplyTypedAsync(app, o, ct),
        V1Ingress o => ApplyTypedAsync(app, o, ct),
        V1ConfigMap o => ApplyTypedAsync(app, o, ct),
        V2HorizontalPodAutoscaler o => ApplyTypedAsync(app, o, ct),
        V1PodDisruptionBudget o => ApplyTypedAsync(app, o, ct),
        V1Job o => ApplyTypedAsync(app, o, ct),
        _ => throw new InvalidOperationException($"no apply path for {child.GetType().Name}"),
    };

    /// <summary>Create-or-update: writes nothing when the live object already matches.</summary>
    private async Task<(ApplyOutcome, IKubernetesObject<V1ObjectMeta>?)> ApplyTypedAsync<T>(WebApp app, T desired, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var ns = desired.Metadata.NamespaceProperty;
        var name = desired.Metadata.Name;
        var live = reader.Get<T>(ns, name);
        for (var attempt = 0; ; attempt++)
        {
            if (live is null)
            {
                try
                {
                    var created = await writer.CreateAsync(desired, ct);
                    events.Record(app, EventType.Normal, "Created", $"Created {desired.Kind} {name}");
                    return (ApplyOutcome.Created, created);
                }
                catch (ApiException e) when (e.Failure == ApiFailure.AlreadyExists && attempt < ConflictRetries)
                {
                    // The cache was behind: read the namesake and compare with it.
                    live = await writer.GetFreshAsync<T>(ns, name, ct);
                    continue;
                }
            }

            var controller = live.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
            if (controller is null || controller.Uid != app.Metadata.Uid)
            {
                return (ApplyOutcome.Conflict, live);
            }

            var differences = ChildComparer.Differences(desired, live);
            if (differences.Count == 0)
            {
                return (ApplyOutcome.Unchanged, live);
            }

            var changed = string.Join(", ", differences);
            try
            {
                var updated = await writer.UpdateAsync(ChildComparer.Merge(desired, live), ct);
                logger.LogInformation("Updated {Kind} {Namespace}/{Name}: {Fields}", desired.Kind, ns, name, changed);
                events.Record(app, EventType.Normal, "Updated", $"Updated {desired.Kind} {name} ({changed})");
                return (ApplyOutcome.Updated, updated);
            }
            catch (ApiException e) when (e.Failure is ApiFailure.Conflict or ApiFailure.NotFound && attempt < ConflictRetries)
            {
                // Someone wrote in between (or deleted it): start again from the server's copy.
                live = await writer.GetFreshAsync<T>(ns, name, ct);
            }
        }
    }

    /// <summary>Deletes children this WebApp controls that the desired state no longer has.</summary>
    private async Task PruneAsync(WebApp app, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, IReadOnlyList<Release> history, CancellationToken ct)
    {
        var wanted = desired.Select(d => (d.Kind, d.Metadata.Name)).ToHashSet();

        // The latest release's Job stays until the cluster's TTL removes it (its logs explain a failure);
        // Jobs of superseded releases go now.
        if (history.MaxBy(r => r.Version) is { } latest)
        {
            wanted.Add(("Job", ReleaseJob.Name(app, latest.Version)));
        }

        await PruneKindAsync<V1Deployment>(app, "Deployment", wanted, ct);
        await PruneKindAsync<V1Service>(app, "Service", wanted, ct);
        await PruneKindAsync<V1Ingress>(app, "Ingress", wanted, ct);
        await PruneKindAsync<V1ConfigMap>(app, "ConfigMap", wanted, ct);
        await PruneKindAsync<V2HorizontalPodAutoscaler>(app, "HorizontalPodAutoscaler", wanted, ct);
        await PruneKindAsync<V1PodDisruptionBudget>(app, "PodDisruptionBudget", wanted, ct);
        await PruneKindAsync<V1Job>(app, "Job", wanted, ct);
    }

    private async Task PruneKindAsync<T>(WebApp app, string kind, HashSet<(string, string)> wanted, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        foreach (var live in reader.ListOwned<T>(app.Metadata.NamespaceProperty, app.Metadata.Uid))
        {
            if (wanted.Contains((kind, live.Metadata.Name)))
            {
                continue;
            }

            try
            {
                await writer.DeleteAsync<T>(live.Metadata.NamespaceProperty, live.Metadata.Name, live.Metadata.Uid, ct);
                events.Record(app, EventType.Normal, "Deleted", $"Deleted {kind} {live.Metadata.Name}, no longer desired");
            }
            catch (ApiException e) when (e.Failure is ApiFailure.NotFound or ApiFailure.Conflict)
            {
                // Already gone, or replaced by a namesake with another uid: nothing of ours to delete.
            }
        }
    }

    private async Task WriteStatusAsync(WebApp app, Observation seen, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 0; ; attempt++)
        {
            var status = StatusBuilder.Build(app, options, seen, now);
            if (app.Status is not null && KubernetesJson.Serialize(status) == KubernetesJson.Serialize(app.Status))
            {
                return;
            }

            var copy = KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(app));
            copy.Status = status;
            try
            {
                await writer.UpdateStatusAsync(copy, ct);
                return;
            }
            catch (ApiException e) when (e.Failure == ApiFailure.Conflict && attempt < ConflictRetries)
            {
                var fresh = await writer.GetFreshAsync<WebApp>(app.Metadata.NamespaceProperty, app.Metadata.Name, ct);
                if (fresh is null || fresh.Metadata.Generation != app.Metadata.Generation)
                {
                    // Deleted, or the spec moved on: a newer reconcile is already queued.
                    return;
                }

                app = fresh;
            }
        }
    }
}
