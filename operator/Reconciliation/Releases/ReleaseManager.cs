using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Telemetry;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>The releases of a WebApp after one pass of the release manager.</summary>
/// <param name="History">Every recorded release, after this pass (bounded).</param>
/// <param name="Live">The release the processes run: the newest that succeeded; null before the first.</param>
/// <param name="ConfigMissing">Referenced config that does not exist (then no release was made).</param>
/// <param name="Recheck">When to look again (the release phase's timeout), if at all.</param>
/// <param name="LiveSnapshot">What the live release runs, whole (the builders' input); null before the first.</param>
/// <param name="News">What happened to the releases in this pass, for the reconcile's one Normal event; null when nothing did.</param>
public sealed record ReleaseState(
    IReadOnlyList<Release> History,
    Release? Live,
    IReadOnlyList<string> ConfigMissing,
    TimeSpan? Recheck,
    ReleaseSnapshot? LiveSnapshot = null,
    ReleaseNews? News = null)
{
    /// <summary>The newest release, whatever its phase.</summary>
    public Release? Latest => History.MaxBy(r => r.Version);
}

/// <summary>What happened to a WebApp's releases in one pass, as an event reason and a sentence.</summary>
public sealed record ReleaseNews(string Reason, string Message);

/// <summary>
/// Numbered releases: records a new release (a ControllerRevision) when the spec, or the config data it
/// refers to, asks for one; runs the release phase Job of the latest release and follows it to success
/// or failure; bounds the history. The decisions are <see cref="ReleasePlanner"/>'s (pure); this class
/// does their I/O. The cache keeps release records without their snapshots (image and config hash
/// only): a snapshot equal to what the spec asks for (the same config hash) is taken from the spec, any
/// other is read from its ControllerRevision when needed, and the live one is remembered while it
/// differs from the spec (during a release phase, after a failed release).
/// </summary>
public sealed class ReleaseManager(
    IObjectReader cache,
    IObjectWriter client,
    ChildApplier children,
    ConfigLookup config,
    IEventRecorder events,
    TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (string Uid, ReleaseSnapshot Snapshot)> liveSnapshots = new(StringComparer.Ordinal);

    /// <summary>Forgets what was remembered of a WebApp that is gone.</summary>
    public void Forget(ObjectKey app) => liveSnapshots.TryRemove(app.ToString(), out _);

    public async Task<ReleaseState> ReconcileAsync(WebApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var now = KubernetesTime.Now(clock);
        var ns = app.Metadata.NamespaceProperty;
        var history = cache.ListOwnedBy<V1ControllerRevision>(app.Metadata.Uid)
            .Where(r => r.Metadata.NamespaceProperty == ns)
            .Select(ReleaseRevisions.FromRevision)
            .OfType<Release>()
            .ToList();

        var resolved = await config.ResolveAsync(app, cancellationToken);
        if (resolved.Missing.Count > 0)
        {
            // Without the data there is no telling what the release would be: make none, keep serving.
            var message = string.Join("; ", resolved.Missing);
            var said = app.Status?.Conditions?.Any(c => c.Reason == Conditions.Reasons.ConfigMissing && c.Message?.EndsWith(message, StringComparison.Ordinal) == true) == true;
            if (!said)
            {
                events.Record(app, EventType.Warning, Conditions.Reasons.ConfigMissing, message);
            }

            var stays = ReleasePlanner.Live(history);
            return new ReleaseState(history, stays, resolved.Missing, null, stays is null ? null : await LiveSnapshotAsync(app, stays, null, cancellationToken));
        }

        var desired = ReleasePlanner.Snapshot(app, resolved.Digest);
        if (history.MaxBy(r => r.Version) is { } newest && newest.Snapshot.ConfigHash != desired.ConfigHash)
        {
            // A release will be made: its reason compares it with the latest one, or the one a rollback restores.
            await CompleteAsync(app, history, newest.Version, cancellationToken);
            if (app.Metadata.Annotations?.TryGetValue(ReleaseRevisions.RollbackAnnotation, out var target) == true
                && int.TryParse(target.TrimStart('v'), out var restored) && history.Any(r => r.Version == restored))
            {
                await CompleteAsync(app, history, restored, cancellationToken);
            }
        }

        var plan = ReleasePlanner.Plan(app, desired, history, now);
        var latest = plan.Latest;
        var news = new List<string>();
        string? reason = null;
        if (plan.Created)
        {
            await RecordAsync(app, latest, cancellationToken);
            history.Add(latest);
            (reason, var said) = latest.Phase == ReleasePhases.Succeeded
                ? ("Released", $"Release v{latest.Version} ({latest.Reason}) is live")
                : ("ReleaseCreated", $"Release v{latest.Version} created ({latest.Reason})");
            news.Add(said);
        }
        else if (latest.Phase is ReleasePhases.Pending or ReleasePhases.Running
            && cache.Get<V1Job>(ns, ReleaseJob.Name(app, latest.Version)) is null
            && await FreshAsync(app, latest.Version, cancellationToken) is { } fresh && fresh.Phase != latest.Phase)
        {
            // The cache can lag behind this operator's own last write: a release the timeout backstop
            // already failed (and whose Job it deleted) still reads as Running, with no Job. Believe the
            // server, or the release command would be started again for a release that is over.
            latest = fresh with { Snapshot = latest.Snapshot, Complete = latest.Complete };
            history[history.FindIndex(r => r.Version == fresh.Version)] = latest;
        }

        TimeSpan? recheck = null;
        if (latest.Phase is ReleasePhases.Pending or ReleasePhases.Running)
        {
            // The latest release is what the spec asks for (else a newer one would have been made): its
            // snapshot is the spec's.
            var (state, retry) = await ReleasePhaseAsync(app, latest with { Snapshot = desired }, now, cancellationToken);
            recheck = retry;
            if (state.Phase != latest.Phase || state.Message != latest.Message)
            {
                var updated = latest with { Phase = state.Phase, Message = state.Message };
                await UpdateAsync(app, updated, cancellationToken);
                history[history.FindIndex(r => r.Version == latest.Version)] = updated;
                if (Report(app, updated, ReleasePlanner.Live(history)) is { } happened)
                {
                    // A release made and started in one pass is one piece of news: "v2 created; release phase started".
                    var startedWithIt = plan.Created && updated.Phase == ReleasePhases.Running;
                    reason = startedWithIt ? reason : happened.Reason;
                    news.Add(startedWithIt ? $"release phase started: Job {ReleaseJob.Name(app, updated.Version)}" : happened.Message);
                }
            }
        }

        await TrimAsync(app, history, cancellationToken);
        var live = ReleasePlanner.Live(history);
        return new ReleaseState(
            history,
            live,
            [],
            recheck,
            live is null ? null : await LiveSnapshotAsync(app, live, desired, cancellationToken),
            reason is null ? null : new ReleaseNews(reason, string.Join("; ", news)));
    }

    /// <summary>
    /// What the live release runs, whole: the spec's own snapshot when the live release is what the spec
    /// asks for (equal config hashes mean equal image, config vars, commands and referenced data), else
    /// the release's record, from its ControllerRevision when the cache keeps only a summary of it.
    /// </summary>
    private async Task<ReleaseSnapshot> LiveSnapshotAsync(WebApp app, Release live, ReleaseSnapshot? desired, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(app).ToString();
        if (live.Complete || (desired is not null && live.Snapshot.ConfigHash == desired.ConfigHash))
        {
            liveSnapshots.TryRemove(key, out _);
            return live.Complete ? live.Snapshot : desired!;
        }

        var name = ReleaseRevisions.Name(app, live.Version);
        var uid = cache.Get<V1ControllerRevision>(app.Metadata.NamespaceProperty, name)?.Metadata.Uid ?? "";
        if (liveSnapshots.TryGetValue(key, out var known) && known.Uid == uid)
        {
            return known.Snapshot;
        }

        var whole = await FreshAsync(app, live.Version, cancellationToken)
            ?? throw new KubernetesApiException(ApiErrorReason.Conflict, 409, $"the record of live release v{live.Version} ({name}) is gone; waiting for the cache");
        liveSnapshots[key] = (uid, whole.Snapshot);
        return whole.Snapshot;
    }

    /// <summary>Replaces a summary in the history with the whole record, read from its ControllerRevision.</summary>
    private async Task CompleteAsync(WebApp app, List<Release> history, int version, CancellationToken cancellationToken)
    {
        var index = history.FindIndex(r => r.Version == version);
        if (index >= 0 && !history[index].Complete && await FreshAsync(app, version, cancellationToken) is { } whole)
        {
            history[index] = whole;
        }
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
        if (release.Phase == ReleasePhases.Succeeded)
        {
            // No release phase: the release is live at once.
            KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
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

    /// <summary>
    /// Counts a release phase's outcome; a failure is a Warning event of its own (it needs a person), the
    /// rest is news for the reconcile's one event.
    /// </summary>
    private ReleaseNews? Report(WebApp app, Release release, Release? live)
    {
        switch (release.Phase)
        {
            case ReleasePhases.Succeeded:
                KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
                return new ReleaseNews("ReleaseSucceeded", $"Release phase of v{release.Version} succeeded; v{release.Version} is live");
            case ReleasePhases.Failed:
                KurokuTelemetry.Releases.Add(1, new KeyValuePair<string, object?>("result", "failed"));
                var serving = live is null ? "no release is live yet" : $"v{live.Version} keeps serving";
                events.Record(app, EventType.Warning, "ReleaseFailed", $"Release v{release.Version} failed: {release.Message}; {serving}");
                return null;
            case ReleasePhases.Running:
                return new ReleaseNews("ReleasePhaseStarted", $"Release phase of v{release.Version} started: Job {ReleaseJob.Name(app, release.Version)}");
            default:
                return null;
        }
    }

    /// <summary>A release as the API server has it now, bypassing the cache; null when its revision is gone.</summary>
    private async Task<Release?> FreshAsync(WebApp app, int version, CancellationToken cancellationToken) =>
        await client.GetAsync<V1ControllerRevision>(app.Metadata.NamespaceProperty, ReleaseRevisions.Name(app, version), cancellationToken) is { } revision
            ? ReleaseRevisions.FromRevision(revision)
            : null;

    /// <summary>
    /// Writes a release's new phase into its revision's annotations, by a merge patch of those alone: a
    /// revision's data never changes, and the cache's copy of it is trimmed, so it is never written back.
    /// </summary>
    private async Task UpdateAsync(WebApp app, Release release, CancellationToken cancellationToken)
    {
        var wanted = ReleaseRevisions.ToRevision(app, release);
        var annotations = new JsonObject();
        foreach (var key in new[] { ReleaseRevisions.PhaseAnnotation, ReleaseRevisions.ReasonAnnotation, ReleaseRevisions.MessageAnnotation, ReleaseRevisions.CreatedAnnotation })
        {
            annotations[key] = wanted.Metadata.Annotations.TryGetValue(key, out var value) ? value : null;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        try
        {
            await client.PatchAsync<V1ControllerRevision>(app.Metadata.NamespaceProperty, wanted.Metadata.Name, patch.ToJsonString(), cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            // Deleted by hand since it was read: record it again.
            await client.CreateAsync(wanted, cancellationToken);
        }
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
