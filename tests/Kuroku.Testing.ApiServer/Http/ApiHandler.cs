using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Hooks;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Semantics;
using Kuroku.Testing.ApiServer.Storage;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>Routes every request: discovery, OpenAPI, and the resource verbs over <see cref="ApiOperations"/>.</summary>
public sealed class ApiHandler
{
    private readonly ApiOperations _ops;
    private readonly ResourceRegistry _registry;
    private readonly KubeApiServerOptions _options;
    private readonly FaultInjector _faults;
    private readonly RequestLog _log;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;

    public ApiHandler(ApiOperations ops, ResourceRegistry registry, KubeApiServerOptions options, FaultInjector faults, RequestLog log, CancellationToken stopping)
    {
        _ops = ops;
        _registry = registry;
        _options = options;
        _faults = faults;
        _log = log;
        _time = options.TimeProvider;
        _stopping = stopping;
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

            var request = Parse(ctx.Request.Method, segments, ctx.Request.Query);
            var delay = _faults.DelayFor(request.Verb, request.LogResource);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ctx.RequestAborted);
            }

            if (_faults.TakeFailure(request.Verb, request.LogResource) is { } failure)
            {
                _log.Add(new RequestRecord(request.Verb, request.LogResource, request.Namespace, request.Name, failure.Code));
                await WriteAsync(ctx, failure.Code, ApiException.Status(failure.Code, failure.Reason, $"injected failure for {request.Verb} {request.LogResource}"));
                return;
            }

            if (request.Verb == "watch")
            {
                _log.Add(new RequestRecord(request.Verb, request.LogResource, request.Namespace, request.Name, 200));
                await WatchAsync(ctx, request);
                return;
            }

            if ((ctx.Request.ContentType ?? "").StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal))
            {
                throw new ApiException(415, "UnsupportedMediaType",
                    "this test API server speaks JSON only: protobuf request bodies (kubectl create <generator>) are not supported; use kubectl create -f or apply -f");
            }

            var body = await ReadBodyAsync(ctx);
            (int Code, string Json) result;
            try
            {
                lock (Store.Gate)
                {
                    result = Execute(ctx, request, body);
                }
            }
            catch (ApiException e)
            {
                _log.Add(new RequestRecord(request.Verb, request.LogResource, request.Namespace, request.Name, e.Code));
                throw;
            }

            _log.Add(new RequestRecord(request.Verb, request.LogResource, request.Namespace, request.Name, result.Code));
            ctx.Response.StatusCode = result.Code;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(result.Json, ctx.RequestAborted);
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

    private sealed record ApiRequest(string Verb, ResourceType Type, string? Namespace, string? Name, string? Subresource)
    {
        public string LogResource => Subresource is null ? Type.Plural : $"{Type.Plural}/{Subresource}";
    }

    private ApiRequest Parse(string method, string[] s, IQueryCollection query)
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
            || (sub is not null && !((sub == "status" && type.HasStatus) || (sub == "scale" && type.Scale is not null))))
        {
            throw NotFound();
        }

        var watch = query["watch"].ToString() is "1" or "true";
        var verb = (method, name) switch
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
        return new ApiRequest(verb, type, ns, name, sub);
    }

    private (int, string) Execute(HttpContext ctx, ApiRequest r, string body)
    {
        var query = ctx.Request.Query;
        var dryRun = query.ContainsKey("dryRun");
        var type = r.Type;
        switch (r.Verb)
        {
            case "get":
                {
                    var obj = _ops.Get(type, r.Namespace, r.Name!);
                    return r.Subresource == "scale" ? Ok(_ops.GetScale(type, obj)) : Ok(Render(ctx, type, [obj]));
                }

            case "list":
                {
                    var items = Select(type, r.Namespace, query);
                    return Ok(Render(ctx, type, items, list: true));
                }

            case "create":
                return (201, Present(type, _ops.Create(type, r.Namespace, ParseObject(body), dryRun)));

            case "update":
                {
                    var proposed = ParseObject(body);
                    if (r.Subresource == "scale")
                    {
                        return Ok(_ops.UpdateScale(type, _ops.Get(type, r.Namespace, r.Name!), proposed, dryRun));
                    }

                    return Ok(Present(type, _ops.Update(type, r.Namespace, r.Name!, proposed, r.Subresource == "status", dryRun)));
                }

            case "patch":
                return Patch(ctx, r, body, dryRun);

            case "delete":
                {
                    var options = string.IsNullOrWhiteSpace(body) ? null : ParseObject(body);
                    var (obj, removed) = _ops.Delete(type, r.Namespace, r.Name!, options, query["propagationPolicy"].FirstOrDefault(), dryRun);
                    if (removed && !type.IsCustom)
                    {
                        var details = ApiException.DetailsOf(type, r.Name);
                        details["uid"] = obj["metadata"]?["uid"]?.DeepClone();
                        return Ok(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["details"] = details });
                    }

                    return Ok(Present(type, obj));
                }

            case "deletecollection":
                {
                    foreach (var item in Select(type, r.Namespace, query))
                    {
                        _ops.Delete(type, ObjectStore.Namespace(item), ObjectStore.Name(item), null, query["propagationPolicy"].FirstOrDefault(), dryRun);
                    }

                    return Ok(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" });
                }

            default:
                throw ApiException.MethodNotAllowed($"verb {r.Verb} is not supported");
        }
    }

    private (int, string) Patch(HttpContext ctx, ApiRequest r, string body, bool dryRun)
    {
        var type = r.Type;
        var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim();
        var current = r.Subresource == "scale" ? null : type.StorageKey is var key ? Store.Get(key, r.Namespace, r.Name!) : null;
        if (contentType == "application/apply-patch+yaml")
        {
            var applied = YamlJson.Parse(body) as JsonObject ?? throw ApiException.BadRequest("the apply patch is not an object");
            if (current is null && r.Subresource is null)
            {
                return (201, Present(type, _ops.Create(type, r.Namespace, applied, dryRun)));
            }
        }

        var target = r.Subresource == "scale"
            ? _ops.GetScale(type, _ops.Get(type, r.Namespace, r.Name!))
            : (JsonObject)(current ?? throw ApiException.NotFound(type, r.Name!)).DeepClone();
        JsonNode? patched = contentType switch
        {
            "application/merge-patch+json" => Patches.MergePatch(target, ParseNode(body)),
            "application/apply-patch+yaml" => Patches.MergePatch(target, YamlJson.Parse(body)),
            "application/json-patch+json" => Patches.ApplyJsonPatch(target, ParseNode(body) as JsonArray ?? throw ApiException.BadRequest("a json patch must be an array")),
            "application/strategic-merge-patch+json" when !type.IsCustom => Patches.StrategicMergePatch(target, ParseNode(body)),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
        var proposed = patched as JsonObject ?? throw ApiException.BadRequest("the patch did not produce an object");
        if (r.Subresource == "scale")
        {
            return Ok(_ops.UpdateScale(type, _ops.Get(type, r.Namespace, r.Name!), proposed, dryRun));
        }

        ApiOperations.CheckResourceVersion(type, current!, proposed);
        return Ok(Present(type, _ops.Replace(type, current!, proposed, r.Subresource == "status", dryRun)));
    }

    private IReadOnlyList<JsonObject> Select(ResourceType type, string? ns, IQueryCollection query)
    {
        var labels = LabelSelector.Parse(query["labelSelector"].FirstOrDefault());
        var fields = FieldSelector.Parse(query["fieldSelector"].FirstOrDefault());
        return [.. Store.List(type.StorageKey, ns).Where(o => labels.Matches(o) && fields.Matches(o))];
    }

    private string Render(HttpContext ctx, ResourceType type, IReadOnlyList<JsonObject> items, bool list = false)
    {
        var rv = ObjectStore.RevisionText(Store.Revision);
        if (WantsTable(ctx))
        {
            var include = ctx.Request.Query["includeObject"].FirstOrDefault() ?? "Metadata";
            return TableConverter.ToTable(type, items.Select(i => PresentNode(type, i)), include, _time.GetUtcNow(), rv).ToJsonString();
        }

        if (!list)
        {
            return Present(type, items[0]);
        }

        return new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv },
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)PresentNode(type, i))]),
        }.ToJsonString();
    }

    private static bool WantsTable(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static JsonObject PresentNode(ResourceType type, JsonObject obj)
    {
        var clone = (JsonObject)obj.DeepClone();
        clone["apiVersion"] = type.GroupVersion;
        return clone;
    }

    private static string Present(ResourceType type, JsonObject obj) => PresentNode(type, obj).ToJsonString();

    private static (int, string) Ok(JsonObject obj) => (200, obj.ToJsonString());

    private static (int, string) Ok(string json) => (200, json);

    private async Task WatchAsync(HttpContext ctx, ApiRequest r)
    {
        var query = ctx.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"].FirstOrDefault());
        var fields = FieldSelector.Parse(query["fieldSelector"].FirstOrDefault());
        var ns = r.Namespace;
        bool Matches(JsonObject o) => (ns is null || ObjectStore.Namespace(o) == ns) && labels.Matches(o) && fields.Matches(o);
        var rvText = query["resourceVersion"].FirstOrDefault();
        long? from = string.IsNullOrEmpty(rvText) || rvText == "0" ? null
            : long.TryParse(rvText, out var parsed) ? parsed : throw ApiException.BadRequest($"invalid resource version: {rvText}");
        var table = WantsTable(ctx);
        var bookmarks = query["allowWatchBookmarks"].ToString() is "1" or "true";

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        Watcher watcher;
        try
        {
            lock (Store.Gate)
            {
                watcher = Store.Watch(r.Type.StorageKey, Matches, from);
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
        try
        {
            await ctx.Response.StartAsync(cts.Token);
            await ctx.Response.Body.FlushAsync(cts.Token);
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
                    string bookmark;
                    lock (Store.Gate)
                    {
                        bookmark = Bookmark(r.Type, table);
                    }

                    await WriteLineAsync(ctx, bookmark, cts.Token);
                    continue;
                }

                if (!more)
                {
                    break;
                }

                var lines = new StringBuilder();
                lock (Store.Gate)
                {
                    while (reader.TryRead(out var e))
                    {
                        var obj = table
                            ? TableConverter.ToTable(r.Type, [PresentNode(r.Type, e.Object)], query["includeObject"].FirstOrDefault() ?? "Metadata", _time.GetUtcNow(),
                                e.Object["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "", withColumns: first)
                            : PresentNode(r.Type, e.Object);
                        first = false;
                        lines.Append(new JsonObject { ["type"] = e.Type, ["object"] = obj }.ToJsonString()).Append('\n');
                    }
                }

                await ctx.Response.WriteAsync(lines.ToString(), cts.Token);
                await ctx.Response.Body.FlushAsync(cts.Token);
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

    private string Bookmark(ResourceType type, bool table)
    {
        var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.RevisionText(Store.Revision) };
        var obj = table
            ? new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = metadata, ["rows"] = new JsonArray() }
            : new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata };
        return new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString();
    }

    private static async Task WriteLineAsync(HttpContext ctx, string json, CancellationToken cancellationToken = default)
    {
        await ctx.Response.WriteAsync(json + "\n", cancellationToken);
        await ctx.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task<string> ReadBodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
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

    private static JsonObject ParseObject(string body) =>
        ParseNode(body) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static ApiException NotFound() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private static JsonObject NotFoundStatus() => NotFound().ToStatus();

    private static async Task WriteAsync(HttpContext ctx, int code, JsonNode document)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(document.ToJsonString(), ctx.RequestAborted);
    }
}
