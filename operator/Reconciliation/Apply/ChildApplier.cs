using k8s;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Operator.Reconciliation.Apply;

/// <summary>What create-or-update did with one child.</summary>
public enum ApplyOutcome
{
    Unchanged,
    Created,
    Updated,
    Deleted,

    /// <summary>A namesake exists that this WebApp does not control: left alone, reported.</summary>
    Conflict,
}

/// <summary>One child's outcome: what was wanted (or pruned), what happened, what the server holds now.</summary>
/// <param name="Kind">The child's kind.</param>
/// <param name="Name">The child's name.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Current">The object as the server holds it after this pass (null when deleted).</param>
/// <param name="ChangedFields">For an update: the owned paths that differed.</param>
public sealed record ChildResult(
    string Kind,
    string Name,
    ApplyOutcome Outcome,
    IKubernetesObject<V1ObjectMeta>? Current,
    IReadOnlyList<string> ChangedFields);

/// <summary>The children that were applied, and the writes that failed (each to be retried by the next reconcile).</summary>
public sealed record AppliedChildren(IReadOnlyList<ChildResult> Results, IReadOnlyList<Exception> Failures);

/// <summary>
/// Keeps a WebApp's children in step with its desired state (controller-runtime's CreateOrUpdate, per
/// child): creates what is missing, updates only the owned fields that differ (nothing is written when
/// nothing changed), deletes the children it controls that are no longer desired, and leaves alone any
/// namesake it does not control. Reads the cache; after a conflict, reads the server.
/// </summary>
public sealed class ChildApplier(IObjectReader cache, IObjectWriter client, ILogger<ChildApplier> logger)
{
    private const int Retries = 4;

    /// <summary>
    /// Applies every desired child at once (they are independent: any order converges) and returns the
    /// result of each that succeeded, and the failure of each that did not; a failure of one loses none
    /// of the others.
    /// </summary>
    public async Task<AppliedChildren> ApplyAllAsync(WebApp app, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var writes = desired.Select(child => OwnedKinds.Of(child.Kind).ApplyAsync(this, app, child, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(writes);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Every failure is collected below, not only the first one WhenAll rethrows.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new AppliedChildren(
            [.. writes.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result)],
            [.. writes.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException ?? w.Exception)]);
    }

    /// <summary>
    /// Create-or-update of one child. The comparison reads the cache's (trimmed) copy; an update is
    /// merged over the full object read fresh from the server, so fields the cache does not keep (the
    /// server's defaults, other owners' fields) are written back as they are.
    /// </summary>
    public async Task<ChildResult> ApplyAsync<T>(WebApp app, T desired, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(desired);
        var ns = desired.Metadata.NamespaceProperty;
        var name = desired.Metadata.Name;
        var live = cache.Get<T>(ns, name);
        var fresh = false;
        for (var attempt = 0; ; attempt++)
        {
            if (live is null)
            {
                try
                {
                    var created = await client.CreateAsync(desired, cancellationToken);
                    return new ChildResult(desired.Kind, name, ApplyOutcome.Created, created, []);
                }
                catch (KubernetesApiException e) when (e.IsAlreadyExists && attempt < Retries)
                {
                    // The cache was behind, or a namesake exists that the cache does not keep (it is not
                    // Kuroku's): read it and compare with it.
                    live = await client.GetAsync<T>(ns, name, cancellationToken);
                    fresh = true;
                    continue;
                }
            }

            var controller = live.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
            if (controller is null || controller.Uid != app.Metadata.Uid)
            {
                return new ChildResult(desired.Kind, name, ApplyOutcome.Conflict, live, []);
            }

            var differences = ChildComparer.Differences(desired, live);
            if (differences.Count == 0)
            {
                return new ChildResult(desired.Kind, name, ApplyOutcome.Unchanged, live, []);
            }

            if (!fresh)
            {
                live = await client.GetAsync<T>(ns, name, cancellationToken);
                fresh = true;
                continue;
            }

            try
            {
                var updated = await client.ReplaceAsync(ChildComparer.Merge(desired, live), cancellationToken);
                logger.LogInformation("Updated {Kind} {Namespace}/{Name}: {Fields}", desired.Kind, ns, name, string.Join(", ", differences));
                return new ChildResult(desired.Kind, name, ApplyOutcome.Updated, updated, differences);
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsNotFound) && attempt < Retries)
            {
                // Someone wrote in between (or deleted it): start again from the server's copy.
                live = await client.GetAsync<T>(ns, name, cancellationToken);
            }
        }
    }

    /// <summary>Deletes the children of one kind this WebApp controls that <paramref name="wanted"/> does not name.</summary>
    public async Task<IReadOnlyList<ChildResult>> PruneAsync<T>(WebApp app, string kind, IReadOnlySet<(string Kind, string Name)> wanted, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(wanted);
        var deleted = new List<ChildResult>();
        foreach (var live in cache.ListOwnedBy<T>(app.Metadata.Uid))
        {
            if (live.Metadata.NamespaceProperty != app.Metadata.NamespaceProperty || wanted.Contains((kind, live.Metadata.Name)))
            {
                continue;
            }

            if (await DeleteAsync<T>(live, cancellationToken))
            {
                deleted.Add(new ChildResult(kind, live.Metadata.Name, ApplyOutcome.Deleted, null, []));
            }
        }

        return deleted;
    }

    /// <summary>
    /// Deletes the object if it still has the uid it was read with; false when it is already gone or was
    /// replaced by a namesake (nothing of ours to delete then).
    /// </summary>
    public async Task<bool> DeleteAsync<T>(T live, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(live);
        try
        {
            return await client.DeleteAsync<T>(live.Metadata.NamespaceProperty, live.Metadata.Name, live.Metadata.Uid, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            return false;
        }
    }
}
