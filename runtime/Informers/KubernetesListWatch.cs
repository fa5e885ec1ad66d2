using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuroku.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// List and watch over HTTP for any type with a [KubernetesEntity] attribute. The list goes through
/// KubernetesClient's generic custom-object list (which also serves built-in types); the watch reads
/// the line-delimited stream itself, through the client's own HttpClient and credentials, because
/// KubernetesClient's watch helpers hide ERROR events behind callbacks and need a first line before
/// they return.
/// </summary>
public sealed class KubernetesListWatch<T> : IListWatchSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Kubernetes kubernetes;
    private readonly string? @namespace;
    private readonly IApiMetrics metrics;
    private readonly ResourceType type = ResourceType.Of<T>();

    public KubernetesListWatch(Kubernetes kubernetes, string? @namespace, IApiMetrics? metrics = null)
    {
        this.kubernetes = kubernetes ?? throw new ArgumentNullException(nameof(kubernetes));
        this.@namespace = @namespace;
        this.metrics = metrics ?? NoopApiMetrics.Instance;
    }

    public async Task<ListResult<T>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var started = Stopwatch.GetTimestamp();
            var code = 0;
            EntityList<T> page;
            try
            {
                using var response = @namespace is null
                    ? await kubernetes.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<EntityList<T>>(type.Group, type.Version, type.Plural, continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<EntityList<T>>(type.Group, type.Version, @namespace, type.Plural, continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
                code = (int)response.Response.StatusCode;
                page = response.Body;
            }
            catch (HttpOperationException e)
            {
                code = (int)(e.Response?.StatusCode ?? 0);
                throw ApiErrors.FromHttpOperation(e, "list", Describe());
            }
            finally
            {
                metrics.RequestCompleted("list", type.Resource, code, Stopwatch.GetElapsedTime(started));
            }

            foreach (var item in page.Items ?? [])
            {
                type.Stamp(item);
                items.Add(item);
            }

            resourceVersion = page.Metadata?.ResourceVersion ?? "";
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ListResult<T>(items, resourceVersion);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = $"?watch=true&allowWatchBookmarks=true&timeoutSeconds={(int)timeout.TotalSeconds}";
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            query += "&resourceVersion=" + Uri.EscapeDataString(resourceVersion);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, type.CollectionPath(@namespace) + query))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        metrics.RequestCompleted("watch", type.Resource, (int)response.StatusCode, Stopwatch.GetElapsedTime(started));
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw ApiErrors.FromResponse((int)response.StatusCode, body, "watch", Describe());
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return WatchLines.Parse<T>(line);
        }
    }

    private string Describe() => @namespace is null ? $"{type.Resource} in all namespaces" : $"{type.Resource} in {@namespace}";
}

/// <summary>Makes list-watch sources for types known only at run time.</summary>
public static class KubernetesListWatch
{
    /// <summary>A <see cref="KubernetesListWatch{T}"/> for <paramref name="entityType"/>.</summary>
    public static object For(Type entityType, Kubernetes kubernetes, string? @namespace, IApiMetrics metrics) =>
        Activator.CreateInstance(typeof(KubernetesListWatch<>).MakeGenericType(entityType), kubernetes, @namespace, metrics)!;
}

/// <summary>A list of any entity type, as the API server returns it.</summary>
public sealed class EntityList<T>
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public IList<T>? Items { get; set; }
}

/// <summary>Reads the lines of a watch stream.</summary>
public static class WatchLines
{
    /// <summary>Parses one watch line; an ERROR event carries a Status instead of an object.</summary>
    public static WatchEvent<T> Parse<T>(string line)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var envelope = KubernetesJson.Deserialize<RawWatchEvent>(line);
        if (envelope.Type == WatchEventType.Error)
        {
            return new WatchEvent<T>(WatchEventType.Error, null, envelope.Object.ValueKind == JsonValueKind.Object ? KubernetesJson.Deserialize<V1Status>(envelope.Object) : null);
        }

        var obj = KubernetesJson.Deserialize<T>(envelope.Object);
        if (envelope.Type != WatchEventType.Bookmark)
        {
            ResourceType.Of<T>().Stamp(obj);
        }

        return new WatchEvent<T>(envelope.Type, obj);
    }

    private sealed class RawWatchEvent
    {
        [JsonPropertyName("type")]
        public WatchEventType Type { get; set; }

        [JsonPropertyName("object")]
        public JsonElement Object { get; set; }
    }
}
