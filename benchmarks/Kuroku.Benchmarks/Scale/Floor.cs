using System.Diagnostics;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Benchmarks.Fleet;
using Kuroku.Runtime.Client;
using k8s;
using k8s.Models;

namespace Kuroku.Benchmarks.Scale;

/// <summary>What the operator wrote for one app in the converge phase, as the server holds it afterwards.</summary>
public sealed record AppSnapshot(FleetApp App, JsonObject WebApp, IReadOnlyList<JsonObject> Children, IReadOnlyList<JsonObject> Events);

/// <summary>
/// The floor: the time a plain client needs to write exactly what the operator wrote to converge the
/// fleet (every child, each release's ControllerRevision, one status update per app, the same Events),
/// with the operator's concurrency: <c>concurrency</c> apps at a time, each app's writes one after
/// another (a worker applies one app's children in sequence), and the Events on one more writer of their
/// own (the operator's event recorder is one background loop). It writes through the operator's own
/// client (<see cref="KubernetesObjectClient"/>: same serialization, same HTTP stack), with no informer,
/// no cache, no reconcile: what remains is the cost of the writes. Runs with the operator stopped, into
/// fresh namespaces, against WebApp copies created beforehand (not timed).
/// </summary>
public static class Floor
{
    private static readonly string[] KindOrder = ["ControllerRevision", "ConfigMap", "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "Job"];

    /// <summary>The namespace of the floor's copy of an app.</summary>
    public static string Namespace(string ns) => ns + "-f";

    /// <summary>A stored object turned back into what a client sends: fresh namespace and owner, no server-set fields.</summary>
    public static JsonObject AsSent(JsonObject stored, string ns, string? ownerUid)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var copy = (JsonObject)stored.DeepClone();
        copy.Remove("status");
        var meta = copy["metadata"] as JsonObject ?? [];
        copy["metadata"] = meta;
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp" })
        {
            meta.Remove(field);
        }

        meta["namespace"] = ns;
        if (copy["kind"]?.GetValue<string>() == "Service" && copy["spec"] is JsonObject spec)
        {
            // The cluster allocates these; another Service cannot ask for the same address.
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }

        if (ownerUid is not null)
        {
            foreach (var owner in meta["ownerReferences"]?.AsArray() ?? [])
            {
                if (owner is JsonObject o)
                {
                    o["uid"] = ownerUid;
                }
            }
        }

        return copy;
    }

    public static async Task<FloorResult> RunAsync(Target target, IReadOnlyList<AppSnapshot> snapshot, string runId, int concurrency, int writers, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(snapshot);
        var client = new KubernetesObjectClient(target.Client);
        await target.CreateNamespacesAsync(snapshot.Select(s => Namespace(s.App.Namespace)).Distinct(StringComparer.Ordinal), writers, cancellationToken);

        // Not timed: the WebApps the status updates go to, and every object ready to send.
        var plans = new Plan[snapshot.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, snapshot.Count), new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var s = snapshot[i];
            var ns = Namespace(s.App.Namespace);
            var app = KubernetesJson.Deserialize<WebApp>(AsSent(s.WebApp, ns, null).ToJsonString());
            app.Metadata.Labels[AppMix.RunLabel] = runId + "-floor";
            var created = await client.CreateAsync(app, ct);
            created.Status = KubernetesJson.Deserialize<WebApp>(s.WebApp.ToJsonString()).Status;
            var children = s.Children
                .OrderBy(c => Array.IndexOf(KindOrder, c["kind"]?.GetValue<string>() ?? ""))
                .ThenBy(c => c["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
                .Select(c => Typed(AsSent(c, ns, created.Metadata.Uid)))
                .ToList();
            var events = s.Events.Select(e =>
            {
                var sent = AsSent(e, ns, null);
                if (sent["involvedObject"] is JsonObject involved)
                {
                    involved["namespace"] = ns;
                    involved["uid"] = created.Metadata.Uid;
                    involved.Remove("resourceVersion");
                }

                return KubernetesJson.Deserialize<Corev1Event>(sent.ToJsonString());
            }).ToList();
            plans[i] = new Plan(children, created, events);
        });

        var tally = new WriteTally();
        var gate = new Lock();
        void Count(string verb, string resource)
        {
            lock (gate)
            {
                tally.Add(verb, resource);
            }
        }

        progress.WriteLine($"floor: writing {plans.Sum(p => p.Children.Count + 1 + p.Events.Count)} objects of {plans.Length} apps, {concurrency} apps at a time");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var events = Task.Run(async () =>
        {
            foreach (var e in plans.SelectMany(p => p.Events))
            {
                await client.CreateAsync(e, cancellationToken);
                Count("create", "events");
            }
        }, cancellationToken);
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (plan, ct) =>
        {
            foreach (var child in plan.Children)
            {
                await CreateAsync(client, child, ct);
                Count("create", ResourceKind.Children.First(k => k.Kind == child.Kind).Plural);
            }

            await client.ReplaceStatusAsync(plan.WebApp, ct);
            Count("update", "webapps/status");
        });
        await events;
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return new FloorResult(concurrency, plans.Length, seconds, tally.Total, tally.Total / Math.Max(seconds, 1e-9), null, tally.ByVerbAndResource, cpuSeconds);
    }

    private static IKubernetesObject<V1ObjectMeta> Typed(JsonObject sent)
    {
        var json = sent.ToJsonString();
        return sent["kind"]?.GetValue<string>() switch
        {
            "ConfigMap" => KubernetesJson.Deserialize<V1ConfigMap>(json),
            "Service" => KubernetesJson.Deserialize<V1Service>(json),
            "Deployment" => KubernetesJson.Deserialize<V1Deployment>(json),
            "HorizontalPodAutoscaler" => KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(json),
            "PodDisruptionBudget" => KubernetesJson.Deserialize<V1PodDisruptionBudget>(json),
            "Ingress" => KubernetesJson.Deserialize<V1Ingress>(json),
            "Job" => KubernetesJson.Deserialize<V1Job>(json),
            "ControllerRevision" => KubernetesJson.Deserialize<V1ControllerRevision>(json),
            var kind => throw new InvalidOperationException($"the floor has no client path for {kind}"),
        };
    }

    private static Task CreateAsync(KubernetesObjectClient client, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct) => obj switch
    {
        V1ConfigMap o => client.CreateAsync(o, ct),
        V1Service o => client.CreateAsync(o, ct),
        V1Deployment o => client.CreateAsync(o, ct),
        V2HorizontalPodAutoscaler o => client.CreateAsync(o, ct),
        V1PodDisruptionBudget o => client.CreateAsync(o, ct),
        V1Ingress o => client.CreateAsync(o, ct),
        V1Job o => client.CreateAsync(o, ct),
        V1ControllerRevision o => client.CreateAsync(o, ct),
        _ => throw new InvalidOperationException($"the floor has no client path for {obj.GetType().Name}"),
    };

    private sealed record Plan(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Children, WebApp WebApp, IReadOnlyList<Corev1Event> Events);
}
