using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Runtime.Client;

namespace Kuroku.Runtime.Informers;

/// <summary>What one informer lists and watches: a resource, in a namespace or all, optionally by labels or as metadata only.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Namespace">One namespace, or null for the whole cluster.</param>
/// <param name="LabelSelector">The server filters by these labels (controller-runtime's ByObject label selector).</param>
/// <param name="MetadataOnly">Ask for PartialObjectMetadata: the server sends metadata alone (controller-runtime's metadata informers).</param>
public sealed record ListWatchTarget(ResourceType Resource, string? Namespace, string? LabelSelector = null, bool MetadataOnly = false);

/// <summary>
/// List and watch over HTTP for any resource, through KubernetesClient's HttpClient and credentials:
/// lists in pages of <see cref="PageSize"/> (limit/continue), watches with bookmarks as a stream of
/// lines, parsed as JSON (never into full models here: the informer transforms each object first).
/// </summary>
public sealed class KubernetesListWatch : IListWatchSource
{
    /// <summary>Objects per list page (client-go's reflector asks for 500).</summary>
    public const int PageSize = 500;

    private const string MetadataListMediaType = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private const string MetadataMediaType = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    private readonly Kubernetes kubernetes;
    private readonly ListWatchTarget target;
    private readonly IApiMetrics metrics;
    private readonly IRequestThrottle throttle;

    public KubernetesListWatch(Kubernetes kubernetes, ListWatchTarget target, IApiMetrics? metrics = null, IRequestThrottle? throttle = null)
    {
        this.kubernetes = kubernetes ?? throw new ArgumentNullException(nameof(kubernetes));
        this.target = target ?? throw new ArgumentNullException(nameof(target));
        this.metrics = metrics ?? NoopApiMetrics.Instance;
        this.throttle = throttle ?? RequestThrottle.None;
    }

    public async Task<ListPage> ListAsync(string? continueToken, CancellationToken cancellationToken)
    {
        var query = "?limit=" + PageSize.ToString(CultureInfo.InvariantCulture) + Selector();
        if (!string.IsNullOrEmpty(continueToken))
        {
            query += "&continue=" + Uri.EscapeDataString(continueToken);
        }

        using var response = await SendAsync("list", query, target.MetadataOnly ? MetadataListMediaType : "application/json", cancellationToken).ConfigureAwait(false);
        // A page is held as its bytes and where each item lies in them; each item becomes a mutable tree only
        // when the informer takes it, one at a time. A whole page of trees would cost ten times its JSON: 500
        // Deployments, tens of MB, on every informer listing at once during a start. The bytes are read into
        // pooled segments below the large object heap (SegmentedJson), and each item is parsed on its own, so no
        // page-sized array is made: neither for the bytes nor for a JsonDocument's index of a whole page.
        var body = await SegmentedJson.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        try
        {
            var (items, resourceVersion, next) = Scan(body.Sequence);
            return new ListPage(new PageItems(body.Sequence, items, this), resourceVersion, next) { Resources = body };
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    // One pass over the page: the offset and length of every object in "items", and the list's resourceVersion
    // and continue token. Anything but objects in "items" is skipped, as is every other property.
    private (List<(long Start, long Length)> Items, string ResourceVersion, string? Continue) Scan(ReadOnlySequence<byte> page)
    {
        var reader = new Utf8JsonReader(page);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"the list of {Describe()} is not a JSON object");
        }

        var items = new List<(long Start, long Length)>();
        var resourceVersion = "";
        string? next = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = reader.TokenStartIndex;
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    reader.Skip();
                    if (isObject)
                    {
                        items.Add((start, reader.BytesConsumed - start));
                    }
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                    var isContinue = !isVersion && reader.ValueTextEquals("continue"u8);
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isVersion || isContinue))
                    {
                        var text = reader.GetString();
                        if (isVersion)
                        {
                            resourceVersion = text ?? "";
                        }
                        else if (text is { Length: > 0 })
                        {
                            next = text;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (items, resourceVersion, next);
    }

    /// <summary>The items of one list page, each parsed into a tree of its own (and stamped) when it is read.</summary>
    private sealed class PageItems(ReadOnlySequence<byte> page, List<(long Start, long Length)> items, KubernetesListWatch owner) : IReadOnlyList<JsonObject>
    {
        public int Count => items.Count;

        public JsonObject this[int index] => Read(items[index]);

        public IEnumerator<JsonObject> GetEnumerator()
        {
            foreach (var item in items)
            {
                yield return Read(item);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private JsonObject Read((long Start, long Length) item)
        {
            // The tree owns a copy of the item's bytes: valid after the page is disposed.
            var reader = new Utf8JsonReader(page.Slice(item.Start, item.Length));
            var obj = (JsonObject)JsonNode.Parse(ref reader)!;
            owner.Stamp(obj);
            return obj;
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = $"?watch=true&allowWatchBookmarks=true&timeoutSeconds={(int)timeout.TotalSeconds}" + Selector();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            query += "&resourceVersion=" + Uri.EscapeDataString(resourceVersion);
        }

        using var response = await SendAsync("watch", query, target.MetadataOnly ? MetadataMediaType : "application/json", cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var evt = WatchLines.Parse(line);
            if (evt.Object is { } obj && evt.Type is not (WatchEventType.Bookmark or WatchEventType.Error))
            {
                Stamp(obj);
            }

            yield return evt;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string verb, string query, string accept, CancellationToken cancellationToken)
    {
        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, target.Resource.CollectionPath(target.Namespace) + query))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var code = 0;
        HttpResponseMessage? response = null;
        try
        {
            response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            code = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw ApiErrors.FromResponse(code, body, verb, Describe(), reasonPhrase: response.ReasonPhrase);
            }

            var answered = response;
            response = null;
            return answered;
        }
        catch (HttpRequestException e)
        {
            throw new Abstractions.KubernetesApiException(Abstractions.ApiErrorReason.Unknown, 0, $"{verb} {Describe()}: the API server could not be reached: {e.Message}", innerException: e);
        }
        finally
        {
            response?.Dispose();
            metrics.RequestCompleted(verb, target.Resource.Resource, code, Stopwatch.GetElapsedTime(started));
        }
    }

    // Lists omit apiVersion and kind on their items, and metadata-only answers say PartialObjectMetadata:
    // the cache keeps the resource's own.
    private void Stamp(JsonObject obj)
    {
        obj["apiVersion"] = target.Resource.ApiVersion;
        obj["kind"] = target.Resource.Kind;
    }

    private string Selector() =>
        string.IsNullOrEmpty(target.LabelSelector) ? "" : "&labelSelector=" + Uri.EscapeDataString(target.LabelSelector);

    private string Describe()
    {
        var what = target.Namespace is null ? $"{target.Resource.Resource} in all namespaces" : $"{target.Resource.Resource} in {target.Namespace}";
        return target.LabelSelector is null ? what : $"{what} with labels {target.LabelSelector}";
    }
}

/// <summary>Reads the lines of a watch stream.</summary>
public static class WatchLines
{
    /// <summary>Parses one watch line; an ERROR event carries a Status instead of an object.</summary>
    public static WatchEvent Parse(string line)
    {
        var envelope = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("a watch line is not a JSON object");
        var type = envelope["type"]?.GetValue<string>() switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            var other => throw new JsonException($"unknown watch event type \"{other}\""),
        };
        var obj = envelope["object"] as JsonObject;
        return type == WatchEventType.Error
            ? new WatchEvent(type, null, obj is null ? null : CacheJson.Deserialize<V1Status>(obj))
            : new WatchEvent(type, obj);
    }
}
