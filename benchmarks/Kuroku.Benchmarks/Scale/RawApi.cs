using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;

namespace Kuroku.Benchmarks.Scale;

/// <summary>A resource as the benchmark reads it: where it lives, and its kind.</summary>
public sealed record ResourceKind(string Kind, string Group, string Version, string Plural)
{
    public string CollectionPath(string? ns = null)
    {
        var prefix = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        return ns is null ? $"{prefix}/{Plural}" : $"{prefix}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }

    public static readonly ResourceKind WebApps = new("WebApp", "kuroku.dev", "v1alpha1", "webapps");
    public static readonly ResourceKind Events = new("Event", "", "v1", "events");

    /// <summary>Every kind of child the operator makes.</summary>
    public static readonly IReadOnlyList<ResourceKind> Children =
    [
        new("ConfigMap", "", "v1", "configmaps"),
        new("Service", "", "v1", "services"),
        new("Deployment", "apps", "v1", "deployments"),
        new("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers"),
        new("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets"),
        new("Ingress", "networking.k8s.io", "v1", "ingresses"),
        new("Job", "batch", "v1", "jobs"),
        new("ControllerRevision", "apps", "v1", "controllerrevisions"),
    ];
}

/// <summary>One LIST as the benchmark's client saw it: how many items, how many bytes in how many pages, how long.</summary>
public sealed record ListStats(string Resource, int Items, long Bytes, int Pages, double Seconds);

/// <summary>
/// Lists and watches as plain JSON over the client's own HttpClient and credentials: the benchmark's
/// reads must cost as little as they can on its side (it shares two cores with the operator), and a
/// JsonObject is all it needs from them.
/// </summary>
public sealed class RawApi(Kubernetes kubernetes)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<ListStats> lists = new();

    /// <summary>Takes the stats of the LISTs made since the last call.</summary>
    public IReadOnlyList<ListStats> TakeListStats()
    {
        var taken = new List<ListStats>();
        while (lists.TryDequeue(out var s))
        {
            taken.Add(s);
        }

        return taken;
    }

    /// <summary>Every object of a collection (paged with limit/continue, as kube-apiserver pages) and the list's resourceVersion.</summary>
    public async Task<(List<JsonObject> Items, string ResourceVersion)> ListAsync(ResourceKind kind, string? labelSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var items = new List<JsonObject>();
        string? next = null;
        string rv;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long bytes = 0;
        var pages = 0;
        do
        {
            var query = "?limit=500";
            if (labelSelector is not null)
            {
                query += "&labelSelector=" + Uri.EscapeDataString(labelSelector);
            }

            if (next is not null)
            {
                query += "&continue=" + Uri.EscapeDataString(next);
            }

            using var response = await SendAsync(kind.CollectionPath() + query, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            bytes += body.Length;
            pages++;
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"list {kind.Plural}: {(int)response.StatusCode} {body}", null, response.StatusCode);
            }

            var list = JsonNode.Parse(body)!.AsObject();
            foreach (var item in list["items"]?.AsArray() ?? [])
            {
                if (item is JsonObject o)
                {
                    items.Add(o);
                }
            }

            rv = list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";
            next = list["metadata"]?["continue"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(next));

        lists.Enqueue(new ListStats(kind.Plural, items.Count, bytes, pages, clock.Elapsed.TotalSeconds));
        return (items, rv);
    }

    /// <summary>The lines of one watch stream (type, object) until the server ends it; throws <see cref="HttpRequestException"/> on a non-2xx answer.</summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(ResourceKind kind, string? labelSelector, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var query = $"?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        if (labelSelector is not null)
        {
            query += "&labelSelector=" + Uri.EscapeDataString(labelSelector);
        }

        using var response = await SendAsync(kind.CollectionPath() + query, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"watch {kind.Plural}: {(int)response.StatusCode}", null, response.StatusCode);
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line) || JsonNode.Parse(line) is not JsonObject e)
            {
                continue;
            }

            yield return (e["type"]?.GetValue<string>() ?? "", e["object"] as JsonObject ?? []);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        return await kubernetes.HttpClient.SendAsync(request, completion, cancellationToken);
    }
}
