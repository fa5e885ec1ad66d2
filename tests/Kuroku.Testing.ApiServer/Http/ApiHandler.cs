using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Hooks;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Pods;
using Kuroku.Testing.ApiServer.Semantics;
using Kuroku.Testing.ApiServer.Storage;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>
/// Routes every request: discovery, OpenAPI, and the resource verbs over <see cref="ApiOperations"/>.
/// The store's lock is held only to read or write the store; responses are written from the objects'
/// stored JSON outside it, so a LIST or a watch event costs copies, not serializations.
/// </summary>
public sealed class ApiHandler
{
    private const string ExpiredContinue =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, " +
        "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an " +
        "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] Close = "}"u8.ToArray();
    private static readonly byte[] CloseList = "]}"u8.ToArray();
    private static readonly byte[] EventEnd = "}\n"u8.ToArray();
    private static readonly Dictionary<string, byte[]> EventStart = new[] { "ADDED", "MODIFIED", "DELETED" }
        .ToDictionary(t => t, t => Encoding.UTF8.GetBytes($"{{\"type\":\"{t}\",\"object\":"), StringComparer.Ordinal);

    private readonly ApiOperations _ops;
    private readonly ResourceRegistry _registry;
    private readonly KubeApiServerOptions _options;
    private readonly FaultInjector _faults;
    private readonly RequestLog _log;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly PodStreams _pods;

    public ApiHandler(ApiOperations ops, ResourceRegistry registry, KubeApiServerOptions options, FaultInjector faults, RequestLog log, PodLogs podLogs, ContainerStandIn containers, CancellationToken stopping)
    {
        _ops = ops;
        _registry = registry;
        _options = options;
        _faults = faults;
        _log = log;
        _time = options.TimeProvider;
        _stopping = stopping;
        _pods = new PodStreams(ops, registry, podLogs, containers, options.TimeProvider, stopping);
    }

    private ObjectStore Store => _ops.Store;

    public async Task HandleAsync(HttpContext ctx)
    {
        var segments = (ctx.Request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var discovery = Discover(ctx, segments);
            if (discovery.Handled)
            {
                await WriteAsync(ctx, discovery.Document is null ? 404 : 200, discovery.Document ?? NotFoundStatus());
                return;
            }

            var request = Parse(ctx, segments);
            await _faults.HoldFor(request.Verb, request.LogResource).WaitAsync(ctx.RequestAborted);
            var delay = _faults.DelayFor(request.Verb, request.LogResource);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ctx.RequestAborted);
            }

            if (_faults.TakeFailure(request.Verb, request.LogResource) is { } failure)
            {
                Log(request, failure.Code);
                await WriteAsync(ctx, failure.Code, ApiException.Status(failure.Code, failure.Reason, $"injected failure for {request.Verb} {request.LogResource}"));
                return;
            }

            if (request.Subresource is "log" or "attach")
            {
                // Streams: logged when answered (a log or an attach session may last long).
                try
                {
                    Log(request, request.Subresource == "log"
                        ? await _pods.LogAsync(ctx, request.Namespace!, request.Name!)
                        : await _pods.AttachAsync(ctx, request.Namespace!, request.Name!));
                }
                catch (ApiException e)
                {
                    Log(request, e.Code);
                    throw;
                }

                return;
            }

            if (request.Verb == "watch")
            {
                Log(request, 200);
                await WatchAsync(ctx, request);
                return;
            }

            Payload result;
            try
            {
                var form = ResponseForm.Negotiate(ctx.Request.Headers.Accept.ToString());
                var body = await ReadBodyAsync(ctx);
                result = Execute(ctx, request, body, form);
            }
            catch (ApiException e)
            {
                Log(request, e.Code);
                throw;
            }

            Log(request, result.Code);
            await result.WriteAsync(ctx);
        }
        catch (ApiException e)
        {
            if (!ctx.Response.HasStarted)
            {
                await WriteAsync(ctx, e.Code, e.ToStatus());
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            await WriteAsync(ctx, 500, ApiException.Status(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}"));
        }
    }

    private void Log(ApiRequest r, int code) => _log.Add(new RequestRecord(r.Verb, r.LogResource, r.Namespace, r.Name, code)
    {
        Group = r.Type.Group,
        Subresource = r.Subresource,
        UserAgent = r.UserAgent,
    });

    private (bool Handled, JsonNode? Document) Discover(HttpContext ctx, string[] s)
    {
        var types = _registry.All;
        return s switch
        {
            ["version"] => (true, Discovery.Version()),
            ["api"] => (true, Discovery.CoreVersions(ctx.Request.Host.Value ?? "127.0.0.1")),
            ["api", var v] => (true, Discovery.Resources(types, "", v)),
            ["apis"] => (true, Discovery.Groups(types)),
            ["apis", var g] => (true, Discovery.Group(types, g)),
            ["apis", var g, var v] => (true, Discovery.Resources(types, g, v)),
            ["openapi", "v3"] => (true, OpenApi.Root(types, _registry.Revision)),
            ["openapi", "v3", "api", var v] => (true, OpenApi.GroupVersion(types, "", v)),
            ["openapi", "v3", "apis", var g, var v] => (true, OpenApi.GroupVersion(types, g, v)),
            ["healthz"] or ["livez"] or ["readyz"] => (true, JsonValue.Create("ok")),
            ["api", ..] or ["apis", ..] => (false, null),
            _ => (true, null),
        };
    }

    private sealed record ApiRequest(string Verb, ResourceType Type, string? Namespace, string? Name, string? Subresource, string UserAgent)
    {
        public string LogResource => Subresource is null ? Type.Plural : $"{Type.Plural}/{Subresource}";
    }

    private ApiRequest Parse(HttpContext ctx, string[] s)
    {
        var (group, version, rest) = s[0] == "api" ? ("", s[1], s[2..]) : (s[1], s[2], s[3..]);
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3)
        {
            throw NotFound();
        }

        var type = _registry.Find(group, version, rest[0]) ?? throw NotFound();
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        if ((type.Namespaced && ns is null && name is not null) || (!type.Namespaced && ns is not null)
            || (sub is not null && !((sub == "status" && type.HasStatus) || (sub == "scale" && type.Scale is not null)
                || (sub is "log" or "attach" && type.StorageKey == "/pods"))))
        {
            throw NotFound();
        }

        if (sub is "log" or "attach")
        {
            // log is read with GET; attach is a GET (WebSocket) or POST (SPDY) connection, authorized as create.
            return (ctx.Request.Method, sub) switch
            {
                ("GET", "log") => new ApiRequest("get", type, ns, name, sub, ctx.Request.Headers.UserAgent.ToString()),
                ("GET" or "POST", "attach") => new ApiRequest("create", type, ns, name, sub, ctx.Request.Headers.UserAgent.ToString()),
                _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
            };
        }

        var watch = ctx.Request.Query["watch"].ToString() is "1" or "true";
        var verb = (ctx.Request.Method, name) switch
        {
            ("GET", null) => watch ? "watch" : "list",
            ("GET", _) => "get",
            ("POST", null) => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        };
        return new ApiRequest(verb, type, ns, name, sub, ctx.Request.Headers.UserAgent.ToString());
    }

    private Payload Execute(HttpContext ctx, ApiRequest r, byte[] body, ResponseForm form)
    {
        var query = ctx.Request.Query;
        var dryRun = query.ContainsKey("dryRun");
        var type = r.Type;
        StoredObject stored;
        switch (r.Verb)
        {
            case "get":
                if (r.Subresource == "scale")
                {
                    lock (Store.Gate)
                    {
                        return Payload.Json(200, ApiOperations.GetScale(type, _ops.Get(type, r.Namespace, r.Name!)));
                    }
                }

                lock (Store.Gate)
                {
                    stored = _ops.Get(type, r.Namespace, r.Name!);
                }

                return Render(200, type, stored, form);

            case "list":
                return List(r, query, form);

            case "create":
                {
                    var input = ParseObject(ctx, body);
                    ApiOperations.Decode(type, input);
                    lock (Store.Gate)
                    {
                        stored = _ops.Create(type, r.Namespace, input, dryRun, decoded: true);
                    }

                    return Render(201, type, stored, form);
                }

            case "update":
                {
                    var proposed = ParseObject(ctx, body);
                    var whole = r.Subresource is null;
                    if (whole)
                    {
                        ApiOperations.Decode(type, proposed);
                    }

                    lock (Store.Gate)
                    {
                        if (r.Subresource == "scale")
                        {
                            return Payload.Json(200, _ops.UpdateScale(type, _ops.Get(type, r.Namespace, r.Name!), proposed, dryRun));
                        }

                        stored = _ops.Update(type, r.Namespace, r.Name!, proposed, r.Subresource == "status", dryRun, decoded: whole);
                    }

                    return Render(200, type, stored, form);
                }

            case "patch":
                return Patch(ctx, r, Encoding.UTF8.GetString(body), dryRun, form);

            case "delete":
                {
                    var options = body.Length == 0 || body.All(b => char.IsWhiteSpace((char)b)) ? null : ParseObject(ctx, body);
                    bool removed;
                    lock (Store.Gate)
                    {
                        (stored, removed) = _ops.Delete(type, r.Namespace, r.Name!, options, query["propagationPolicy"].FirstOrDefault(), dryRun);
                    }

                    // Most built-in registries answer a delete with a Status; those with ReturnDeletedObject (pods,
                    // service accounts) with the object, as custom resources do.
                    if (removed && !type.IsCustom && type.StorageKey is not ("/pods" or "/serviceaccounts"))
                    {
                        var details = ApiException.DetailsOf(type, r.Name);
                        details["uid"] = stored.Uid;
                        return Payload.Json(200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["details"] = details });
                    }

                    return Render(200, type, stored, form);
                }

            case "deletecollection":
                {
                    var labels = LabelSelector.Parse(query["labelSelector"].FirstOrDefault());
                    var fields = FieldSelector.Parse(query["fieldSelector"].FirstOrDefault());
                    lock (Store.Gate)
                    {
                        foreach (var item in Store.List(type.StorageKey, r.Namespace).Where(o => labels.Matches(o) && fields.Matches(o)).ToList())
                        {
                            _ops.Delete(type, item.Namespace, item.Name, null, query["propagationPolicy"].FirstOrDefault(), dryRun);
                        }
                    }

                    return Payload.Json(200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" });
                }

            default:
                throw ApiException.MethodNotAllowed($"verb {r.Verb} is not supported");
        }
    }

    private Payload Patch(HttpContext ctx, ApiRequest r, string body, bool dryRun, ResponseForm form)
    {
        var type = r.Type;
        var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim();
        JsonNode? patch = contentType switch
        {
            "application/merge-patch+json" or "application/json-patch+json" => ParseNode(body),
            "application/strategic-merge-patch+json" when !type.IsCustom => ParseNode(body),
            "application/apply-patch+yaml" => YamlJson.Parse(body) as JsonObject ?? throw ApiException.BadRequest("the apply patch is not an object"),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
        StoredObject stored;
        lock (Store.Gate)
        {
            var current = r.Subresource == "scale" ? null : Store.Get(type.StorageKey, r.Namespace, r.Name!);
            if (contentType == "application/apply-patch+yaml" && current is null && r.Subresource is null)
            {
                return Render(201, type, _ops.Create(type, r.Namespace, (JsonObject)patch!, dryRun), form);
            }

            var target = r.Subresource == "scale"
                ? ApiOperations.GetScale(type, _ops.Get(type, r.Namespace, r.Name!))
                : (current ?? throw ApiException.NotFound(type, r.Name!)).ToNode();
            JsonNode? patched = contentType switch
            {
                "application/json-patch+json" => Patches.ApplyJsonPatch(target, patch as JsonArray ?? throw ApiException.BadRequest("a json patch must be an array")),
                "application/strategic-merge-patch+json" => Patches.StrategicMergePatch(target, patch),
                _ => Patches.MergePatch(target, patch),
            };
            var proposed = patched as JsonObject ?? throw ApiException.BadRequest("the patch did not produce an object");
            if (r.Subresource == "scale")
            {
                return Payload.Json(200, _ops.UpdateScale(type, _ops.Get(type, r.Namespace, r.Name!), proposed, dryRun));
            }

            ApiOperations.CheckResourceVersion(type, current!, proposed);
            stored = _ops.Replace(type, current!, proposed, r.Subresource == "status", dryRun);
        }

        return Render(200, type, stored, form);
    }

    /// <summary>One page of a LIST, read under the lock: the items, the resourceVersion they are at, the next token.</summary>
    private sealed record Page(IReadOnlyList<StoredObject> Items, long Revision, string? Continue, long? Remaining);

    private Payload List(ApiRequest r, IQueryCollection query, ResponseForm form)
    {
        form.CheckFor(list: true, r.Type.Kind);
        var labels = LabelSelector.Parse(query["labelSelector"].FirstOrDefault());
        var fields = FieldSelector.Parse(query["fieldSelector"].FirstOrDefault());
        var limitText = query["limit"].FirstOrDefault();
        var limit = 0L;
        if (!string.IsNullOrEmpty(limitText) && (!long.TryParse(limitText, out limit) || limit < 0))
        {
            throw ApiException.BadRequest($"invalid limit: {limitText}");
        }

        var continueText = query["continue"].FirstOrDefault();
        var rvText = query["resourceVersion"].FirstOrDefault();
        Page page;
        lock (Store.Gate)
        {
            page = ReadPage(r, labels, fields, limit, continueText, rvText, query["resourceVersionMatch"].FirstOrDefault());
        }

        return RenderList(r.Type, page, form);
    }

    private Page ReadPage(ApiRequest r, LabelSelector labels, FieldSelector fields, long limit, string? continueText, string? rvText, string? rvMatch)
    {
        var key = r.Type.StorageKey;
        var revision = Store.Revision;
        string? after = null;
        var snapshot = false;
        if (!string.IsNullOrEmpty(continueText))
        {
            if (!string.IsNullOrEmpty(rvText) && rvText != "0")
            {
                throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
            }

            var token = ContinueToken.Decode(continueText);
            after = token.StartAfter;
            if (!token.Inconsistent)
            {
                revision = token.ResourceVersion;
                snapshot = true;
            }
        }
        else if (rvMatch == "Exact" && long.TryParse(rvText, out var exact))
        {
            revision = exact;
            snapshot = true;
        }

        IReadOnlyList<StoredObject> source;
        try
        {
            source = snapshot ? Store.ListAt(key, r.Namespace, after, revision) : Store.List(key, r.Namespace, after);
        }
        catch (ApiException e) when (e.Code == 410 && after is not null)
        {
            throw new ApiException(410, "Expired", ExpiredContinue)
            {
                ListMetadata = new JsonObject { ["continue"] = new ContinueToken(-1, after).Encode() },
            };
        }

        var unfiltered = labels.IsEmpty && fields.IsEmpty;
        var items = new List<StoredObject>();
        var more = false;
        var remaining = 0L;
        if (unfiltered)
        {
            // The range's count is known: no need to walk what is left to count it.
            var take = limit > 0 ? (int)Math.Min(limit, source.Count) : source.Count;
            for (var i = 0; i < take; i++)
            {
                items.Add(source[i]);
            }

            remaining = source.Count - take;
            more = remaining > 0;
        }
        else
        {
            foreach (var obj in source)
            {
                if (!labels.Matches(obj) || !fields.Matches(obj))
                {
                    continue;
                }

                if (limit > 0 && items.Count == limit)
                {
                    more = true;
                    break;
                }

                items.Add(obj);
            }
        }

        // kube-apiserver gives remainingItemCount only when the LIST has no selector.
        return new Page(items, revision, more ? new ContinueToken(revision, items[^1].Key).Encode() : null, more && unfiltered ? remaining : null);
    }

    private Payload RenderList(ResourceType type, Page page, ResponseForm form)
    {
        var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.RevisionText(page.Revision) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
        }

        if (page.Remaining is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        if (form.Shape == ResponseShape.Table)
        {
            var table = TableConverter.ToTable(type, page.Items.Select(i => Present(type, i)), IncludeObject(), _time.GetUtcNow(), ObjectStore.RevisionText(page.Revision));
            table["metadata"] = metadata;
            return Payload.Json(200, table);
        }

        var metaList = form.Shape == ResponseShape.PartialObjectMetadataList;
        var header = new JsonObject
        {
            ["kind"] = metaList ? "PartialObjectMetadataList" : type.ListKind,
            ["apiVersion"] = metaList ? form.MetaApiVersion : type.GroupVersion,
            ["metadata"] = metadata,
        }.ToJsonString();
        var segments = new List<ReadOnlyMemory<byte>>(page.Items.Count * 2 + 2) { Encoding.UTF8.GetBytes(header[..^1] + ",\"items\":[") };
        var partialPrefix = metaList ? PartialPrefix(form) : null;
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0)
            {
                segments.Add(Comma);
            }

            if (partialPrefix is not null)
            {
                segments.Add(partialPrefix);
                segments.Add(page.Items[i].MetadataJson);
                segments.Add(Close);
            }
            else
            {
                segments.Add(ObjectJson(type, page.Items[i]));
            }
        }

        segments.Add(CloseList);
        return new Payload(200, segments);

        string IncludeObject() => "Metadata";
    }

    /// <summary>One object in the negotiated form.</summary>
    private Payload Render(int code, ResourceType type, StoredObject obj, ResponseForm form)
    {
        form.CheckFor(list: false, type.Kind);
        return form.Shape switch
        {
            ResponseShape.Table => Payload.Json(code, TableConverter.ToTable(type, [Present(type, obj)], "Metadata", _time.GetUtcNow(), ObjectStore.RevisionText(obj.Revision))),
            ResponseShape.PartialObjectMetadata => new Payload(code, [PartialPrefix(form), obj.MetadataJson, Close]),
            _ => new Payload(code, [ObjectJson(type, obj)]),
        };
    }

    private static byte[] PartialPrefix(ResponseForm form) =>
        Encoding.UTF8.GetBytes($"{{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"{form.MetaApiVersion}\",\"metadata\":");

    /// <summary>The stored JSON, as is when it was written in the version asked for (re-rendered only for another version of a CRD).</summary>
    private static byte[] ObjectJson(ResourceType type, StoredObject obj)
    {
        if (obj.ApiVersion == type.GroupVersion)
        {
            return obj.Json;
        }

        return StoredObject.Serialize(Present(type, obj));
    }

    private static JsonObject Present(ResourceType type, StoredObject obj)
    {
        var node = obj.ToNode();
        node["apiVersion"] = type.GroupVersion;
        return node;
    }

    private async Task WatchAsync(HttpContext ctx, ApiRequest r)
    {
        var query = ctx.Request.Query;
        ResponseForm form;
        LabelSelector labels;
        FieldSelector fields;
        long? from;
        try
        {
            form = ResponseForm.Negotiate(ctx.Request.Headers.Accept.ToString());
            labels = LabelSelector.Parse(query["labelSelector"].FirstOrDefault());
            fields = FieldSelector.Parse(query["fieldSelector"].FirstOrDefault());
            var rvText = query["resourceVersion"].FirstOrDefault();
            from = string.IsNullOrEmpty(rvText) || rvText == "0" ? null
                : long.TryParse(rvText, out var parsed) ? parsed : throw ApiException.BadRequest($"invalid resource version: {rvText}");
        }
        catch (ApiException e)
        {
            await WriteAsync(ctx, e.Code, e.ToStatus());
            return;
        }

        var ns = r.Namespace;
        bool Matches(StoredObject o) => (ns is null || o.Namespace == ns) && labels.Matches(o) && fields.Matches(o);
        var bookmarks = query["allowWatchBookmarks"].ToString() is "1" or "true";
        var initialEvents = query["sendInitialEvents"].ToString() is "1" or "true";
        var include = query["includeObject"].FirstOrDefault() ?? "Metadata";

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        Watcher watcher;
        long startRevision;
        try
        {
            lock (Store.Gate)
            {
                watcher = Store.Watch(r.Type.StorageKey, ns, Matches, from, initialEvents);
                startRevision = Store.Revision;
            }
        }
        catch (ApiException e)
        {
            await WriteLineAsync(ctx, new JsonObject { ["type"] = "ERROR", ["object"] = e.ToStatus() }.ToJsonString());
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
        if (int.TryParse(query["timeoutSeconds"].FirstOrDefault(), out var timeout) && timeout > 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var first = true;
        var writer = ctx.Response.BodyWriter;
        try
        {
            await ctx.Response.StartAsync(cts.Token);
            await writer.FlushAsync(cts.Token);
            var reader = watcher.Events.Reader;
            while (!cts.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                if (bookmarks)
                {
                    tick.CancelAfter(_options.BookmarkInterval);
                }

                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!cts.IsCancellationRequested)
                {
                    byte[]? bookmark = null;
                    lock (Store.Gate)
                    {
                        // Only with nothing queued: a bookmark must not run ahead of events still to be sent.
                        if (!reader.TryPeek(out _))
                        {
                            bookmark = Bookmark(r.Type, form, Store.Revision, initialEventsEnd: false);
                        }
                    }

                    if (bookmark is not null)
                    {
                        writer.Write(bookmark);
                        await writer.FlushAsync(cts.Token);
                    }

                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (reader.TryRead(out var e))
                {
                    if (e.Type == WatchEvent.InitialEventsEnd)
                    {
                        writer.Write(Bookmark(r.Type, form, startRevision, initialEventsEnd: true));
                        continue;
                    }

                    WriteEvent(writer, r.Type, form, e, include, ref first);
                    if (writer.UnflushedBytes > 64 * 1024)
                    {
                        await writer.FlushAsync(cts.Token);
                    }
                }

                await writer.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            lock (Store.Gate)
            {
                Store.StopWatching(watcher);
            }
        }
    }

    /// <summary>One watch event, written from the stored JSON: {"type":T,"object":...}\n.</summary>
    private void WriteEvent(PipeWriter writer, ResourceType type, ResponseForm form, WatchEvent e, string include, ref bool first)
    {
        writer.Write(EventStart[e.Type]);
        var obj = e.Object!;
        switch (form.Shape)
        {
            case ResponseShape.Table:
                var table = TableConverter.ToTable(type, [Present(type, obj)], include, _time.GetUtcNow(), ObjectStore.RevisionText(obj.Revision), withColumns: first);
                writer.Write(StoredObject.Serialize(table));
                first = false;
                break;
            case ResponseShape.PartialObjectMetadata:
                writer.Write(PartialPrefix(form));
                writer.Write(obj.MetadataJson);
                writer.Write(Close);
                break;
            default:
                writer.Write(ObjectJson(type, obj));
                break;
        }

        writer.Write(EventEnd);
    }

    private static byte[] Bookmark(ResourceType type, ResponseForm form, long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.RevisionText(revision) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var obj = form.Shape switch
        {
            ResponseShape.Table => new JsonObject { ["kind"] = "Table", ["apiVersion"] = form.MetaApiVersion, ["metadata"] = metadata, ["rows"] = new JsonArray() },
            ResponseShape.PartialObjectMetadata => new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = form.MetaApiVersion, ["metadata"] = metadata },
            _ => new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata },
        };
        return Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString() + "\n");
    }

    private static async Task WriteLineAsync(HttpContext ctx, string json, CancellationToken cancellationToken = default)
    {
        await ctx.Response.WriteAsync(json + "\n", cancellationToken);
        await ctx.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        return buffer.ToArray();
    }

    private static JsonNode? ParseNode(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A create or update body: JSON, YAML, or the protobuf kubectl's typed clients send.</summary>
    private static JsonObject ParseObject(HttpContext ctx, byte[] body)
    {
        var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim();
        return contentType switch
        {
            ProtobufBody.MediaType => ProtobufBody.Decode(body),
            "application/yaml" => YamlJson.Parse(Encoding.UTF8.GetString(body)) as JsonObject ?? throw ApiException.BadRequest("the request body must be an object"),
            _ => ParseNode(Encoding.UTF8.GetString(body)) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object"),
        };
    }

    private static ApiException NotFound() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private static JsonObject NotFoundStatus() => NotFound().ToStatus();

    private static async Task WriteAsync(HttpContext ctx, int code, JsonNode document)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.WriteAsync(StoredObject.Serialize(document), ctx.RequestAborted);
    }

    /// <summary>A response body as segments of stored JSON, written without copying them into one buffer first.</summary>
    private sealed class Payload(int code, IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        public int Code { get; } = code;

        public static Payload Json(int code, JsonNode node) => new(code, [StoredObject.Serialize(node)]);

        public async Task WriteAsync(HttpContext ctx)
        {
            ctx.Response.StatusCode = Code;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = segments.Sum(s => (long)s.Length);
            var writer = ctx.Response.BodyWriter;
            foreach (var segment in segments)
            {
                writer.Write(segment.Span);
                if (writer.UnflushedBytes > 64 * 1024)
                {
                    await writer.FlushAsync(ctx.RequestAborted);
                }
            }

            await writer.FlushAsync(ctx.RequestAborted);
        }
    }
}
