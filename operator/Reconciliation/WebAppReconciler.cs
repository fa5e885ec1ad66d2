using System.Diagnostics;
using FluentValidation;
using k8s;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.Reconciliation.Status;
using Kuroku.Operator.Telemetry;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Operator.Reconciliation;

/// <summary>
/// The level-triggered reconcile of one WebApp, in three parts with one job each: the
/// <see cref="ReleaseManager"/> records releases and runs the release phase, the <see cref="ChildApplier"/>
/// makes the children match the live release (and prunes the rest), the <see cref="StatusWriter"/> writes
/// what was seen. An invalid spec touches no child. Safe to run twice; knows nothing about queues.
/// </summary>
public sealed class WebAppReconciler(
    IObjectReader cache,
    IEventRecorder events,
    IValidator<WebApp> validator,
    ReleaseManager releases,
    ChildApplier children,
    StatusWriter status,
    ReconcileMemo memo,
    OperatorOptions options,
    TimeProvider clock,
    ILogger<WebAppReconciler> logger) : IReconciler
{
    /// <summary>The one way to build a reconciler, in the host and in tests.</summary>
    public static WebAppReconciler Create(
        IObjectReader cache, IObjectWriter client, IEventRecorder events, OperatorOptions options, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(options);
        var writer = new JournalingWriter(client, cache);
        var children = new ChildApplier(cache, writer, loggers.CreateLogger<ChildApplier>());
        var releases = new ReleaseManager(cache, writer, children, new ConfigLookup(cache, writer), events, clock);
        var lifetime = options.ResyncPeriod > TimeSpan.Zero ? options.ResyncPeriod : TimeSpan.FromMinutes(10);
        return new WebAppReconciler(cache, events, new WebAppValidator(), releases, children, new StatusWriter(writer, options, clock),
            new ReconcileMemo(cache, lifetime), options, clock, loggers.CreateLogger<WebAppReconciler>());
    }

    /// <summary>
    /// Reconciles one WebApp with a span and a log scope naming it. A failure is rethrown for the queue's
    /// backoff and shown on the WebApp as a Warning event (conflicts stay quiet: they are routine).
    /// </summary>
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        using var activity = KurokuTelemetry.ActivitySource.StartActivity("reconcile WebApp", ActivityKind.Internal);
        activity?.SetTag("kuroku.webapp", key.ToString());
        using var scope = logger.BeginScope("WebApp {WebApp}", key.ToString());
        try
        {
            return await ReconcileAsync(key.Namespace ?? "", key.Name, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            memo.Forget(key);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            if (e is not KubernetesApiException { IsConflict: true } && cache.Get<WebApp>(key.Namespace, key.Name) is { } app)
            {
                // The recorder folds repeats of the same message into one Event's count.
                events.Record(app, EventType.Warning, "ReconcileFailed", $"reconcile failed, retrying with backoff: {e.Message}");
            }

            throw;
        }
    }

    private async Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var app = cache.Get<WebApp>(@namespace, name);
        if (app is null || app.Metadata.DeletionTimestamp is not null)
        {
            // Gone or going: the garbage collector removes the children through their owner references.
            releases.Forget(new ObjectKey(@namespace, name));
            return ReconcileResult.Done;
        }

        // The reconciles that the watch events of the last one's own writes cause cost nothing.
        var now = clock.GetUtcNow().UtcDateTime;
        switch (memo.Check(app, now, out var retry))
        {
            case ReconcileMemo.Skip.Waiting:
                return ReconcileResult.After(retry);
            case ReconcileMemo.Skip.Unchanged:
                return ReconcileResult.Done;
            default:
                break;
        }

        memo.Forget(new ObjectKey(@namespace, name));
        var inputs = memo.Inputs(app);
        var journal = JournalingWriter.Begin();
        var result = await FullReconcileAsync(app, cancellationToken);
        if (result.RequeueAfter is null)
        {
            // Only an outcome that waits for nothing but events: a pending release phase must be looked at again in time.
            List<JournaledWrite> writes;
            lock (journal)
            {
                writes = [.. journal];
            }

            memo.Remember(app, inputs, writes, now);
        }

        return result;
    }

    private async Task<ReconcileResult> FullReconcileAsync(WebApp app, CancellationToken cancellationToken)
    {
        var (@namespace, name) = (app.Metadata.NamespaceProperty, app.Metadata.Name);
        var validation = await validator.ValidateAsync(app, cancellationToken);
        if (!validation.IsValid)
        {
            var errors = validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ToList();
            var message = string.Join("; ", errors);
            var said = app.Status?.Conditions?.Any(c => c.Type == Conditions.Ready && c.Reason == Conditions.Reasons.InvalidSpec && c.Message == message) == true;
            if (!said)
            {
                events.Record(app, EventType.Warning, Conditions.Reasons.InvalidSpec, message);
            }

            logger.LogWarning("WebApp {Namespace}/{Name} is invalid: {Errors}", @namespace, name, message);
            await status.WriteAsync(app, new Observation(errors, new Dictionary<string, V1Deployment>(), [], null), cancellationToken);
            return ReconcileResult.Done;
        }

        if (app.Status?.ObservedGeneration != app.Metadata.Generation)
        {
            ExplainIgnoredReplicas(app);
        }

        var release = await releases.ReconcileAsync(app, cancellationToken);

        // What runs is always exactly one recorded release: the builders see the live release's image,
        // config and commands, and the spec's scaling, routing and maintenance.
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired = release.LiveSnapshot is { } live
            ? DesiredState.Build(ReleaseView.For(app, live), options, live.ConfigHash)
            : [];
        var applied = await children.ApplyAllAsync(app, desired, cancellationToken);
        var results = new List<ChildResult>(applied.Results);
        if (applied.Failures.Count == 0 && release.Live is not null)
        {
            results.AddRange(await PruneAsync(app, desired, release, cancellationToken));
        }

        Report(app, release.News, results);
        if (applied.Failures.Count > 0)
        {
            // What was written stays written (and was reported); the next reconcile retries the rest.
            foreach (var failure in applied.Failures.Skip(1))
            {
                logger.LogWarning(failure, "Another child of {Namespace}/{Name} failed to apply", @namespace, name);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(
                applied.Failures.FirstOrDefault(f => f is not KubernetesApiException { IsConflict: true }) ?? applied.Failures[0]);
        }

        await status.WriteAsync(app, Observe(app, desired, results, release), cancellationToken);
        return release.Recheck is { } recheck ? ReconcileResult.After(recheck) : ReconcileResult.Done;
    }

    /// <summary>Deletes the children this WebApp controls that the desired state no longer has.</summary>
    private async Task<IReadOnlyList<ChildResult>> PruneAsync(WebApp app, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, ReleaseState release, CancellationToken cancellationToken)
    {
        var wanted = desired.Select(d => (d.Kind, d.Metadata.Name)).ToHashSet();

        // The latest release's Job stays until the cluster's TTL removes it (its logs explain a failure);
        // Jobs of superseded releases go now.
        if (ReleaseManager.KeptJob(app, release) is { } job)
        {
            wanted.Add((OwnedKinds.Job.Kind, job));
        }

        var pruned = new List<ChildResult>();
        foreach (var kind in OwnedKinds.All.Where(k => k.Applied))
        {
            pruned.AddRange(await kind.PruneAsync(children, app, wanted, cancellationToken));
        }

        return pruned;
    }

    /// <summary>
    /// One Normal event per reconcile that changed something (client-go's events are for people): what
    /// happened to the releases and every child created, updated or deleted, named in one sentence.
    /// </summary>
    private void Report(WebApp app, ReleaseNews? news, IReadOnlyList<ChildResult> results)
    {
        var changes = ReconcileSummary.Children(results);
        if (news is null && changes is null)
        {
            return;
        }

        var message = news is null ? changes! : changes is null ? news.Message : $"{news.Message}. {changes}";
        events.Record(app, EventType.Normal, news?.Reason ?? ReconcileSummary.AppliedReason, message);
    }

    /// <summary>What this pass saw, for the status: each process's Deployment, conflicts, the web selector.</summary>
    private static Observation Observe(WebApp app, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, IReadOnlyList<ChildResult> results, ReleaseState release)
    {
        var problems = results.Where(r => r.Outcome == ApplyOutcome.Conflict)
            .Select(r => $"{r.Kind} {r.Name} exists and is not controlled by this WebApp")
            .ToList();
        var deployments = results.Where(r => r.Outcome != ApplyOutcome.Conflict).Select(r => r.Current).OfType<V1Deployment>()
            .ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        var byProcess = app.Spec.Processes.Keys
            .Where(p => deployments.ContainsKey(ChildNames.Process(app.Metadata.Name, p)))
            .ToDictionary(p => p, p => deployments[ChildNames.Process(app.Metadata.Name, p)], StringComparer.Ordinal);
        var webSelector = desired.OfType<V1Deployment>()
            .FirstOrDefault(d => d.Metadata.Name == ChildNames.Process(app.Metadata.Name, WebAppApi.WebProcess))?.Spec?.Selector?.MatchLabels;
        var selector = webSelector is null
            ? null
            : string.Join(",", webSelector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        return new Observation([], byProcess, problems, selector, release.History, release.ConfigMissing);
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
}
