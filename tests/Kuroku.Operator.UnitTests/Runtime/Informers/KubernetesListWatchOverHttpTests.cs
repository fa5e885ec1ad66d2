using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Informers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Informers;

/// <summary>
/// A small stand-in API server on 127.0.0.1:0: a list, a chunked watch stream ending in a 410
/// ERROR event, and Status answers, to check the HTTP side of list-watch and the client.
/// </summary>
public sealed class KubernetesListWatchOverHttpTests : IAsyncLifetime
{
    private const string Path = "/apis/kuroku.dev/v1alpha1/namespaces/shop/webapps";
    private readonly List<string> queries = [];
    private readonly List<string> accepts = [];
    private WebApplication? server;
    private Kubernetes? client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        server = builder.Build();
        server.MapGet(Path, async (HttpContext context) =>
        {
            lock (queries)
            {
                queries.Add(context.Request.QueryString.Value ?? "");
                accepts.Add(context.Request.Headers.Accept.ToString());
            }

            context.Response.ContentType = "application/json";
            if (context.Request.Query["watch"] != "true")
            {
                await context.Response.WriteAsync("""{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebAppList","metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"shop","namespace":"shop","resourceVersion":"9","uid":"u1"},"spec":{"image":"shop:1"}}]}""");
                return;
            }

            await context.Response.WriteAsync("""{"type":"ADDED","object":{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"blog","namespace":"shop","resourceVersion":"11"},"spec":{"image":"blog:1"}}}""" + "\n");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("""{"type":"BOOKMARK","object":{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"resourceVersion":"15"}}}""" + "\n");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 15 (20)","reason":"Expired","code":410}}""" + "\n");
        });
        server.MapGet("/apis/kuroku.dev/v1alpha1/namespaces/big/webapps", async (HttpContext context) =>
        {
            // Larger than several read segments, items across their boundaries, metadata after the items,
            // things that are not objects among the items, and properties no list has.
            context.Response.ContentType = "application/json";
            var items = Enumerable.Range(0, BigItems).Select(i =>
                $$$"""{"metadata":{"name":"app-{{{i}}}","namespace":"big","resourceVersion":"{{{i + 1}}}"},"spec":{"image":"img:{{{i}}}","env":[{"name":"PAD","value":"{{{new string((char)('a' + (i % 26)), 997)}}}"}]}}""");
            await context.Response.WriteAsync(
                $$$"""{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebAppList","extra":{"items":[1],"metadata":{"resourceVersion":"no"}},"items":[null,7,{{{string.Join(",", items)}}},"x"],"metadata":{"continue":"next \"page\"","resourceVersion":"4242"}}""");
        });
        server.MapPost(Path, () => Results.Json(
            new { kind = "Status", apiVersion = "v1", status = "Failure", message = "webapps.kuroku.dev \"shop\" already exists", reason = "AlreadyExists", code = 409 },
            statusCode: 409));
        server.MapGet(Path + "/{name}", () => Results.Json(
            new { kind = "Status", apiVersion = "v1", status = "Failure", message = "not found", reason = "NotFound", code = 404 },
            statusCode: 404));
        await server.StartAsync();
        client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Urls.First() });
    }

    private KubernetesListWatch Source(string? labelSelector = null, bool metadataOnly = false) =>
        new(client!, new ListWatchTarget(ResourceType.Of<WebApp>(), "shop", labelSelector, metadataOnly));

    [Fact]
    public async Task The_list_gives_stamped_items_and_the_resource_version_in_pages()
    {
        var list = await Source().ListAsync(null, CancellationToken.None);

        list.ResourceVersion.Should().Be("10");
        list.Continue.Should().BeNull();
        var item = CacheJson.Deserialize<WebApp>(list.Items.Should().ContainSingle().Subject);
        item.Kind.Should().Be("WebApp");
        item.ApiVersion.Should().Be("kuroku.dev/v1alpha1");
        item.Spec.Image.Should().Be("shop:1");
        queries.Should().ContainSingle().Which.Should().Be("?limit=500");
        accepts.Should().ContainSingle().Which.Should().Be("application/json");
    }

    private const int BigItems = 300;

    [Fact]
    public async Task A_page_of_many_segments_gives_every_object_whole_and_its_metadata_wherever_it_stands()
    {
        var source = new KubernetesListWatch(client!, new ListWatchTarget(ResourceType.Of<WebApp>(), "big"));
        List<JsonObject> items;
        using (var list = await source.ListAsync(null, CancellationToken.None))
        {
            list.ResourceVersion.Should().Be("4242");
            list.Continue.Should().Be("next \"page\"");
            list.Items.Should().HaveCount(BigItems, "null, a number and a string among the items are not objects");
            items = [.. list.Items];
        }

        // Read after the page was disposed: each object owns its bytes.
        for (var i = 0; i < BigItems; i++)
        {
            var app = CacheJson.Deserialize<WebApp>(items[i]);
            app.Kind.Should().Be("WebApp");
            app.Metadata.Name.Should().Be($"app-{i}");
            app.Spec.Image.Should().Be($"img:{i}");
            app.Spec.Env.Should().ContainSingle().Which.Value.Should().Be(new string((char)('a' + (i % 26)), 997));
        }
    }

    [Fact]
    public async Task A_label_selected_metadata_only_list_says_so_to_the_server()
    {
        await Source("app.kubernetes.io/managed-by=kuroku", metadataOnly: true).ListAsync("next-page", CancellationToken.None);

        queries.Should().ContainSingle().Which.Should().Be("?limit=500&labelSelector=app.kubernetes.io%2Fmanaged-by%3Dkuroku&continue=next-page");
        accepts.Should().ContainSingle().Which.Should().Be("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
    }

    [Fact]
    public async Task The_watch_streams_events_bookmarks_and_the_410_error()
    {
        var events = new List<WatchEvent>();
        await foreach (var evt in Source().WatchAsync("10", TimeSpan.FromMinutes(5), CancellationToken.None))
        {
            events.Add(evt);
        }

        events.Select(e => e.Type).Should().Equal(WatchEventType.Added, WatchEventType.Bookmark, WatchEventType.Error);
        events[0].Object!["metadata"]!["name"]!.GetValue<string>().Should().Be("blog");
        events[1].Object!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("15");
        events[2].Status!.Code.Should().Be(410);
        queries.Should().ContainSingle().Which.Should().Be("?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=10");
    }

    [Fact]
    public async Task The_informer_lists_watches_and_lists_again_after_the_410()
    {
        var added = new List<string>();
        var relisted = new TaskCompletionSource<string[]>();
        Informer? informer = null;
        informer = new Informer(ResourceType.Of<WebApp>(), Source(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        informer.AddHandler(new ResourceEventHandler
        {
            OnAdd = o =>
            {
                if (!relisted.Task.IsCompleted)
                {
                    added.Add(o.Name);
                }
            },
            // The relist does not have "blog": its deletion shows the cache was replaced.
            OnDelete = o => relisted.TrySetResult([.. informer!.Store.List().Select(e => e.Read<WebApp>().Metadata.Name)]),
        });
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);

        var afterRelist = await relisted.Task;
        await cts.CancelAsync();
        await run;

        added.Should().Equal("shop", "blog");
        afterRelist.Should().Equal("shop");
    }

    [Fact]
    public async Task The_client_surfaces_typed_errors()
    {
        var writer = new KubernetesObjectClient(client!);

        var create = () => writer.CreateAsync(new WebApp { Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop" } }, CancellationToken.None);

        (await create.Should().ThrowAsync<KubernetesApiException>()).Which.Should().Match<KubernetesApiException>(e => e.IsAlreadyExists && e.StatusCode == 409);
        (await writer.GetAsync<WebApp>("shop", "nope", CancellationToken.None)).Should().BeNull();
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (server is not null)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }
}
