using FluentValidation;
using k8s;
using k8s.Models;
using Kuroku.Operator.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Status;

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

        var desired = DesiredState.Build(app, options);
        var problems = new List<string>();
        var deployments = new Dictionary<string, V1Deployment>(StringComparer.Ordinal);
        foreach (var child in desired)
        {
            var (outcome, live) = await ApplyAsync(app, child, cancellationToken);
            if (outcome == ApplyOutcome.Conflict)
            {
                problems.Add($"{child.Kind} {child.Metadata.Name} exists and is not controlled by this WebApp");
            }
            else if (live is V1Deployment deployment)
            {
                deployments[deployment.Metadata.Name] = deployment;
            }
        }

        await PruneAsync(app, desired, cancellationToken);

        var byProcess = app.Spec.Processes.Keys
            .Where(p => deployments.ContainsKey(ChildName(app, p)))
            .ToDictionary(p => p, p => deployments[ChildName(app, p)], StringComparer.Ordinal);
        var webSelector = desired.OfType<V1Deployment>()
            .FirstOrDefault(d => d.Metadata.Name == ChildName(app, WebAppApi.WebProcess))?.Spec?.Selector?.MatchLabels;
        var selector = webSelector is null
            ? null
            : string.Join(",", webSelector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

        await WriteStatusAsync(app, new Observation([], byProcess, problems, selector), cancellationToken);
        return ReconcileResult.Done;
    }

    private static string ChildName(WebApp app, string process) => $"{app.Metadata.Name}-{process}";

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

            if (ChildComparer.Matches(desired, live))
            {
                return (ApplyOutcome.Unchanged, live);
            }

            var changed = string.Join(", ", ChildComparer.Differences(desired, live));
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
    private async Task PruneAsync(WebApp app, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, CancellationToken ct)
    {
        var wanted = desired.Select(d => (d.Kind, d.Metadata.Name)).ToHashSet();
        await PruneKindAsync<V1Deployment>(app, "Deployment", wanted, ct);
        await PruneKindAsync<V1Service>(app, "Service", wanted, ct);
        await PruneKindAsync<V1Ingress>(app, "Ingress", wanted, ct);
        await PruneKindAsync<V1ConfigMap>(app, "ConfigMap", wanted, ct);
        await PruneKindAsync<V2HorizontalPodAutoscaler>(app, "HorizontalPodAutoscaler", wanted, ct);
        await PruneKindAsync<V1PodDisruptionBudget>(app, "PodDisruptionBudget", wanted, ct);
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
