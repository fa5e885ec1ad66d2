using k8s.Models;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Telemetry;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>The releases of a WebApp after one pass of the release manager.</summary>
/// <param name="History">Every recorded release, after this pass (bounded).</param>
/// <param name="Live">The release the processes run: the newest that succeeded; null before the first.</param>
/// <param name="ConfigMissing">Referenced config that does not exist (then no release was made).</param>
/// <param name="Recheck">When to look again (the release phase's timeout), if at all.</param>
public sealed record ReleaseState(IReadOnlyList<Release> History, Release? Live, IReadOnlyList<string> ConfigMissing, TimeSpan? Recheck)
{
    /// <summary>The newest release, whatever its phase.</summary>
    public Release? Latest => History.MaxBy(r => r.Version);
}

/// <summary>
/// Numbered releases: records a new release (a ControllerRevision) when the spec, or the config data it
/// refers to, asks for one; runs the release phase Job of the latest release and follows it to success
/// or failure; bounds the history. The decisions are <see cref="ReleasePlanner"/>'s (pure); this class
/// does their I/O.
/// </summary>
public sealed class ReleaseManager(
    IObjectReader cache,
    IObjectWriter client,
    ChildApplier children,
    ConfigLookup config,
    IEventRecorder events,
    TimeProvider clock)
{
    public async Task<ReleaseState> ReconcileAsync(WebApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var now = clock.GetUtcNow().UtcDateTime;
        var ns = app.Metadata.NamespaceProperty;
        var history = cache.ListOwnedBy<V1ControllerRevision>(app.Metadata.Uid)
            .Where(r => r.Metadata.NamespaceProperty == ns)
            .Select(ReleaseRevisions.FromRevision)
            .OfType<Release>()
            .ToList();

        var resolved = config.Resolve(app);
        if (resolved.Missing.Count > 0)
        {
            // Without the data there is no telling what the release would be: make none, keep serving.
            var message = string.Join("; ", resolved.Missing);
            var said = app.Status?.Conditions?.Any(c => c.Reason == Conditions.Reasons.ConfigMissing && c.Message?.EndsWith(message, StringComparison.Ordinal) == true) == true;
            if (!said)
            {
                events.Record(app, EventType.Warning, Conditions.Reasons.ConfigMissing, message);
            }

            return new ReleaseState(history, ReleasePlanner.Live(history), resolved.Missing, null);
        }

        var plan = ReleasePlanner.Plan(app, ReleasePlanner.Snapshot(app, resolved.Digest), history, now);
        var latest = plan.Latest;
        if (plan.Created)
        {
            await RecordAsync(app, latest, cancellationToken);
            history.Add(latest);
        }
        else if (latest.Phase is ReleasePhases.Pending or ReleasePhases.Running
            && cache.Get<V1Job>(ns, ReleaseJob.Name(app, latest.Version)) is null
            && await FreshAsync(app, latest.Version, cancellationToken) is { } fresh && fresh.Phase != latest.Phase)
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
            var (state, retry) = await ReleasePhaseAsync(app, latest, now, cancellationToken);
            recheck = retry;
            if (state.Phase != latest.Phase || state.Message != latest.Message)
            {
                var updated = latest with { Phase = state.Phase, Message = state.Message };
                await UpdateAsync(app, updated, cancellationToken);
                history[history.FindIndex(r => r.Version == latest.Version)] = updated;
                Report(app, updated, ReleasePlanner.Live(history));
            }
        }

        await TrimAsync(app, history, cancellationToken);
        return new ReleaseState(history, ReleasePlanner.Live(history), [], recheck);
    }

    /// <summary>The name of the one release Job that stays (the latest release's) while the others are pruned.</summary>
    public static string? KeptJob(WebApp app, ReleaseState releases)
    {
        ArgumentNullException.ThrowIfNull(releases);
        return releases.Latest is { } latest ? ReleaseJob.Name(app, latest.Version) : null;
    }

    private async Task RecordAsync(WebApp app, Release release, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateAsync(ReleaseRevisions.ToRevision(app, release), cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            // An earlier pass recorded it and the cache has not caught up: try again shortly, quietly.
            throw new KubernetesApiException(ApiErrorReason.Conflict, 409, $"release v{release.Version} is already recorded; waiting for the cache", innerException: e);
        }

        KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "created"));
        events.Record(app, EventType.Normal, "ReleaseCreated", $"Release v{release.Version} created: {release.Reason}");
        if (release.Phase == ReleasePhases.Succeeded)
        {
            // No release phase: the release is live at once.
            KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
            events.Record(app, EventType.Normal, "Released", $"v{release.Version} is live");
        }
    }

    /// <summary>Runs (or watches) the release phase Job of a pending release.</summary>
    private async Task<(ReleasePhaseState State, TimeSpan? Recheck)> ReleasePhaseAsync(WebApp app, Release release, DateTime now, CancellationToken cancellationToken)
    {
        var job = ReleaseJob.Build(app, release.Version, release.Snapshot);
        if (job is null)
        {
            // The release command was removed while the release waited: nothing to run, it goes live.
            return (new ReleasePhaseState(ReleasePhases.Succeeded, null, null), null);
        }

        var applied = await children.ApplyAsync(app, job, cancellationToken);
        if (applied.Outcome == ApplyOutcome.Conflict)
        {
            return (new ReleasePhaseState(ReleasePhases.Failed, $"Job {job.Metadata.Name} exists and is not controlled by this WebApp", null), null);
        }

        if (applied.Outcome == ApplyOutcome.Created)
        {
            events.Record(app, EventType.Normal, "Created", $"Created Job {job.Metadata.Name}");
        }

        var current = applied.Current as V1Job;
        var timeout = app.Spec.Release?.TimeoutSeconds ?? Defaults.ReleaseTimeoutSeconds;
        var state = ReleasePhaseObserver.Observe(current, timeout, release.CreatedAt, now);
        if (state.Phase == ReleasePhases.Pending)
        {
            state = state with { Phase = ReleasePhases.Running };
        }

        var jobFailedItself = current?.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true;
        if (state.Phase == ReleasePhases.Failed && !jobFailedItself && current is not null)
        {
            // The operator's own timeout backstop fired: stop the command so it cannot finish late.
            await children.DeleteAsync(current, cancellationToken);
        }

        return (state, state.RecheckAfter);
    }

    private void Report(WebApp app, Release release, Release? live)
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
    private async Task<Release?> FreshAsync(WebApp app, int version, CancellationToken cancellationToken) =>
        await client.GetAsync<V1ControllerRevision>(app.Metadata.NamespaceProperty, ReleaseRevisions.Name(app, version), cancellationToken) is { } revision
            ? ReleaseRevisions.FromRevision(revision)
            : null;

    /// <summary>Writes a release's new phase into its revision's annotations.</summary>
    private Task UpdateAsync(WebApp app, Release release, CancellationToken cancellationToken)
    {
        var ns = app.Metadata.NamespaceProperty;
        var name = ReleaseRevisions.Name(app, release.Version);
        var wanted = ReleaseRevisions.ToRevision(app, release);
        return RetryOnConflict.RunAsync(async attempt =>
        {
            var live = attempt == 0
                ? cache.Get<V1ControllerRevision>(ns, name)
                : await client.GetAsync<V1ControllerRevision>(ns, name, cancellationToken);
            if (live is null)
            {
                await client.CreateAsync(wanted, cancellationToken);
                return;
            }

            live.Metadata.Annotations = wanted.Metadata.Annotations;
            await client.ReplaceAsync(live, cancellationToken);
        });
    }

    /// <summary>Keeps the last <see cref="ReleaseRevisions.HistoryLimit"/> releases, and always the live and latest ones.</summary>
    private async Task TrimAsync(WebApp app, List<Release> history, CancellationToken cancellationToken)
    {
        var keep = history.OrderByDescending(r => r.Version).Take(ReleaseRevisions.HistoryLimit).Select(r => r.Version).ToHashSet();
        if (ReleasePlanner.Live(history) is { } live)
        {
            keep.Add(live.Version);
        }

        foreach (var old in history.Where(r => !keep.Contains(r.Version)).ToList())
        {
            if (cache.Get<V1ControllerRevision>(app.Metadata.NamespaceProperty, ReleaseRevisions.Name(app, old.Version)) is { } revision)
            {
                await children.DeleteAsync(revision, cancellationToken);
            }

            history.Remove(old);
        }
    }
}
