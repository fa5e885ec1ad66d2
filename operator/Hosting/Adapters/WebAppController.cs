using System.Diagnostics;
using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.Telemetry;
using Kuroku.Runtime.Abstractions;
using RuntimeResult = Kuroku.Runtime.Abstractions.ReconcileResult;

namespace Kuroku.Operator.Hosting.Adapters;

/// <summary>
/// The runtime's <see cref="IReconciler"/> for WebApps: one span and one log scope per reconcile (the
/// WebApp key on every log line), the core's result turned into the queue's.
/// </summary>
public sealed class WebAppController(
    WebAppReconciler reconciler,
    IClusterReader cache,
    Reconciliation.IEventRecorder events,
    ILogger<WebAppController> logger) : IReconciler
{
    public async Task<RuntimeResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        using var activity = KurokuTelemetry.ActivitySource.StartActivity("reconcile WebApp", ActivityKind.Internal);
        activity?.SetTag("kuroku.webapp", key.ToString());
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["webapp"] = key.ToString() });
        try
        {
            var result = await reconciler.ReconcileAsync(key.Namespace ?? "", key.Name, cancellationToken);
            return result.RequeueAfter is { } after ? RuntimeResult.After(after) : RuntimeResult.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);

            // A conflict is routine (retried from fresh state); anything else the user should see on the
            // WebApp itself. The recorder folds repeats of the same message into one Event's count.
            if (e is not ApiException { Failure: ApiFailure.Conflict } && key.Namespace is not null
                && cache.GetWebApp(key.Namespace, key.Name) is { } app)
            {
                events.Record(app, Reconciliation.EventType.Warning, "ReconcileFailed", $"reconcile failed, retrying with backoff: {e.Message}");
            }

            throw;
        }
    }
}
