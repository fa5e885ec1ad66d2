using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;
using k8s;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>The release decision of one reconcile.</summary>
/// <param name="Latest">The newest release after this decision (the one just made, if any).</param>
/// <param name="Created">True when <see cref="Latest"/> is new and must be recorded.</param>
/// <param name="Live">The release the processes run: the newest that succeeded, or null before the first.</param>
public sealed record ReleasePlan(Release Latest, bool Created, Release? Live);

/// <summary>
/// Pure release logic: what the spec asks for now (a snapshot and its hash), whether that is a new
/// release, why, and which release is live. Scaling, autoscaling, domains, static and maintenance are
/// not part of a release, so changing them never makes one.
/// </summary>
public static class ReleasePlanner
{
    /// <summary>
    /// The release the spec describes. Its hash is the spec's release hash (what the pod templates
    /// carry offline too), mixed with the digest of the referenced config data when there is any.
    /// </summary>
    public static ReleaseSnapshot Snapshot(WebApp app, string? referencedDataDigest)
    {
        ArgumentNullException.ThrowIfNull(app);
        var snapshot = new ReleaseSnapshot
        {
            Image = app.Spec.Image,
            Env = app.Spec.Env is { Count: > 0 } env ? env : null,
            EnvFrom = app.Spec.EnvFrom is { Count: > 0 } envFrom ? envFrom : null,
        };
        foreach (var (name, process) in app.Spec.Processes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            snapshot.Processes[name] = new ProcessCommand { Command = process.Command, Args = process.Args };
        }

        var specHash = ReleaseHash.Compute(app.Spec);
        snapshot.ConfigHash = referencedDataDigest is null ? specHash : ContentHash.Of(specHash + "\n" + referencedDataDigest);
        return snapshot;
    }

    /// <summary>
    /// Decides the release: the latest stays when its hash matches the spec (whatever its phase: a
    /// failed release is not retried until the spec changes); otherwise a new release vN+1 is made.
    /// </summary>
    public static ReleasePlan Plan(WebApp app, ReleaseSnapshot desired, IReadOnlyList<Release> history, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(history);
        var latest = history.MaxBy(r => r.Version);
        if (latest is not null && latest.Snapshot.ConfigHash == desired.ConfigHash)
        {
            return new ReleasePlan(latest, false, Live(history));
        }

        var release = new Release(
            (latest?.Version ?? 0) + 1,
            desired,
            app.Spec.Release is null ? ReleasePhases.Succeeded : ReleasePhases.Pending,
            Reason(app, latest?.Snapshot, desired, history),
            null,
            now);
        var all = history.Append(release).ToList();
        return new ReleasePlan(release, true, Live(all));
    }

    /// <summary>The newest release that succeeded.</summary>
    public static Release? Live(IEnumerable<Release> history) =>
        history.Where(r => r.Phase == ReleasePhases.Succeeded).MaxBy(r => r.Version);

    /// <summary>Why a new release is made, in Heroku's words where it has them.</summary>
    public static string Reason(WebApp app, ReleaseSnapshot? previous, ReleaseSnapshot desired, IReadOnlyList<Release> history)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(history);
        if (app.Metadata.Annotations?.TryGetValue(ReleaseRevisions.RollbackAnnotation, out var target) == true
            && int.TryParse(target.TrimStart('v'), out var version)
            && history.FirstOrDefault(r => r.Version == version) is { } restored
            && SameRelease(restored.Snapshot, desired))
        {
            return $"rollback to v{version}";
        }

        // A promotion brings another app's release: its image (once; later releases of it are ordinary).
        if (app.Metadata.Annotations?.TryGetValue(ReleaseRevisions.PromotedFromAnnotation, out var source) == true
            && app.Metadata.Annotations.TryGetValue(ReleaseRevisions.PromotedImageAnnotation, out var promoted)
            && promoted == desired.Image
            && previous?.Image != desired.Image)
        {
            return $"promoted from {source}";
        }

        if (previous is null)
        {
            return "initial release";
        }

        var changes = new List<string>();
        if (previous.Image != desired.Image)
        {
            changes.Add("image");
        }

        if (Json(previous.Env) != Json(desired.Env) || Json(previous.EnvFrom) != Json(desired.EnvFrom))
        {
            changes.Add("config vars");
        }

        if (Json(previous.Processes) != Json(desired.Processes))
        {
            changes.Add("processes");
        }

        return changes.Count == 0
            ? "referenced config changed"
            : string.Join(" and ", changes) + " changed";
    }

    /// <summary>Same image, config vars and commands (the referenced data may differ).</summary>
    private static bool SameRelease(ReleaseSnapshot a, ReleaseSnapshot b) =>
        a.Image == b.Image && Json(a.Env) == Json(b.Env) && Json(a.EnvFrom) == Json(b.EnvFrom) && Json(a.Processes) == Json(b.Processes);

    private static string Json(object? value) => value is null ? "null" : KubernetesJson.Serialize(value);
}
