using k8s;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;

namespace Kuroku.Operator.Reconciliation.Status;

/// <summary>
/// Writes a WebApp's status subresource, only when the status <see cref="StatusBuilder"/> computes
/// differs from the one it has; on a conflict, computes it again over the server's copy, unless the
/// spec moved on meanwhile (a newer reconcile is queued then).
/// </summary>
public sealed class StatusWriter(IObjectWriter client, OperatorOptions options, TimeProvider clock)
{
    /// <summary>True when a status was written.</summary>
    public Task<bool> WriteAsync(WebApp app, Observation seen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(seen);
        var now = KubernetesTime.Now(clock);
        var current = app;
        return RetryOnConflict.RunAsync(async attempt =>
        {
            if (attempt > 0)
            {
                var fresh = await client.GetAsync<WebApp>(app.Metadata.NamespaceProperty, app.Metadata.Name, cancellationToken);
                if (fresh is null || fresh.Metadata.Generation != app.Metadata.Generation)
                {
                    // Deleted, or the spec moved on: a newer reconcile is already queued.
                    return false;
                }

                current = fresh;
            }

            var status = StatusBuilder.Build(current, options, seen, now);
            if (current.Status is not null && KubernetesJson.Serialize(status) == KubernetesJson.Serialize(current.Status))
            {
                return false;
            }

            var copy = KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(current));
            copy.Status = status;
            await client.ReplaceStatusAsync(copy, cancellationToken);
            return true;
        });
    }
}
