using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>Watches stream newline-delimited events, replay from a resourceVersion, send bookmarks, and answer 410 once compacted.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private KubeApiServer _server = null!;
    private Kubernetes _client = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private sealed class Stream(StreamReader reader) : IDisposable
    {
        public async Task<JsonObject> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the watch ended");
            return JsonNode.Parse(line)!.AsObject();
        }

        public async Task<JsonObject> NextOtherThanBookmarkAsync()
        {
            while (true)
            {
                var e = await NextAsync();
                if (e["type"]!.GetValue<string>() != "BOOKMARK")
                {
                    return e;
                }
            }
        }

        public Task<string?> EndAsync() => reader.ReadLineAsync();

        public void Dispose() => reader.Dispose();
    }

    private async Task<Stream> WatchAsync(string query)
    {
        var response = await _http.GetAsync(new Uri(_server.BaseUri, "api/v1/namespaces/default/configmaps?watch=1&" + query), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new Stream(new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private Task<V1ConfigMap> CreateAsync(string name, string tier = "front") =>
        _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tier"] = tier } } }, "default");

    private static string Summary(JsonObject e) => $"{e["type"]} {e["object"]!["metadata"]!["name"]}";

    [Fact]
    public async Task A_watch_from_a_resource_version_replays_later_changes_then_streams_new_ones()
    {
        var a = await CreateAsync("a");
        await CreateAsync("b");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        using var stream = await WatchAsync("resourceVersion=" + a.Metadata.ResourceVersion);
        var replayed = new[] { await stream.NextAsync(), await stream.NextAsync() };
        await CreateAsync("c");
        var live = await stream.NextAsync();

        replayed.Select(Summary).Should().Equal("ADDED b", "DELETED a");
        Summary(live).Should().Be("ADDED c");
        live["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(_server.ResourceVersion.ToString());
    }

    [Fact]
    public async Task A_watch_without_a_resource_version_starts_with_the_current_objects()
    {
        await CreateAsync("a");

        using var stream = await WatchAsync("");

        Summary(await stream.NextAsync()).Should().Be("ADDED a");
    }

    [Fact]
    public async Task A_label_selector_turns_objects_leaving_the_selection_into_deleted_events()
    {
        var rv = _server.ResourceVersion;
        using var stream = await WatchAsync($"resourceVersion={rv}&labelSelector=tier%3Dfront");
        await CreateAsync("back", "back");
        await CreateAsync("front");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"tier":"back"}}}""", V1Patch.PatchType.MergePatch), "front", "default");

        var events = new[] { await stream.NextAsync(), await stream.NextAsync() };

        events.Select(Summary).Should().Equal("ADDED front", "DELETED front");
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resource_version()
    {
        await CreateAsync("a");
        using var stream = await WatchAsync($"resourceVersion={_server.ResourceVersion}&allowWatchBookmarks=true");

        var bookmark = await stream.NextAsync();

        bookmark["type"]!.GetValue<string>().Should().Be("BOOKMARK");
        bookmark["object"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
        bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(_server.ResourceVersion.ToString());
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_a_410_expired_error_event()
    {
        var a = await CreateAsync("a");
        await CreateAsync("b");
        _server.ExpireResourceVersions();

        using var stream = await WatchAsync("resourceVersion=" + a.Metadata.ResourceVersion);
        var error = await stream.NextAsync();

        error["type"]!.GetValue<string>().Should().Be("ERROR");
        error["object"]!["code"]!.GetValue<int>().Should().Be(410);
        error["object"]!["reason"]!.GetValue<string>().Should().Be("Expired");
        (await stream.EndAsync()).Should().BeNull();
    }

    [Fact]
    public async Task The_history_is_bounded_per_resource_so_changes_to_others_do_not_expire_a_watch()
    {
        await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { HistoryLimit = 3 });
        using var client = server.CreateClient();
        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        for (var i = 0; i < 10; i++)
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"s{i}" } }, "default");
        }

        async Task<string> FirstEventType()
        {
            using var response = await _http.GetAsync(new Uri(server.BaseUri, $"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={a.Metadata.ResourceVersion}&timeoutSeconds=1"), HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var line = await reader.ReadLineAsync();
            return line is null ? "END" : JsonNode.Parse(line)!["type"]!.GetValue<string>();
        }

        (await FirstEventType()).Should().Be("END", "ten Secret changes leave the ConfigMap history whole: the watch just times out");
        for (var i = 0; i < 4; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"c{i}" } }, "default");
        }

        (await FirstEventType()).Should().Be("ERROR", "four ConfigMap changes overflow its history of three");
    }

    [Fact]
    public async Task Dropping_watches_ends_the_streams_and_timeoutSeconds_ends_one()
    {
        using var dropped = await WatchAsync($"resourceVersion={_server.ResourceVersion}");
        while (_server.OpenWatches == 0)
        {
            await Task.Delay(10);
        }

        _server.DropWatches().Should().Be(1);
        (await dropped.EndAsync()).Should().BeNull();

        using var timed = await WatchAsync($"resourceVersion={_server.ResourceVersion}&timeoutSeconds=1");
        (await timed.EndAsync()).Should().BeNull();
    }

    [Fact]
    public async Task KubernetesClient_watch_receives_typed_events()
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            var events = _client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token);
            await foreach (var (type, cm) in events)
            {
                seen.Add($"{type} {cm.Metadata.Name}");
                if (seen.Count == 2)
                {
                    return;
                }
            }
        });
        while (_server.OpenWatches == 0)
        {
            await Task.Delay(10);
        }

        await CreateAsync("a");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");
        await reading;

        seen.Should().Equal("Added a", "Deleted a");
    }
}
