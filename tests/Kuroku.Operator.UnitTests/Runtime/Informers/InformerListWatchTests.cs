using Kuroku.Operator.UnitTests.Runtime.Fakes;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Informers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Informers;

public sealed class InformerListWatchTests : IAsyncDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly FakeListWatchSource source = new();
    private readonly List<string> seen = [];
    private readonly CancellationTokenSource stop = new();
    private Informer? informer;
    private Task? run;

    private static V1ConfigMap Map(string name, string rv, string? ns = "ns") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = rv } };

    private static IEnumerable<string> Names(Informer inf) => inf.Store.List().Select(e => e.Read<V1ConfigMap>().Metadata.Name);

    private Informer Start(TimeProvider? clock = null, InformerOptions? options = null, CacheTransform? transform = null, IReadOnlyDictionary<string, IndexFunc>? indexers = null)
    {
        informer = new Informer(ResourceType.Of<V1ConfigMap>(), source, clock ?? time, NullLogger.Instance, options, transform, indexers, new Random(1));
        informer.AddHandler(new ResourceEventHandler
        {
            OnAdd = o => seen.Add($"add {o.Name}@{o.ResourceVersion}"),
            OnUpdate = (o, n) => seen.Add($"update {n.Name}@{o.ResourceVersion}->{n.ResourceVersion}"),
            OnDelete = o => seen.Add($"delete {o.Name}@{o.ResourceVersion}"),
        });
        run = informer.RunAsync(stop.Token);
        return informer;
    }

    [Fact]
    public async Task Lists_then_watches_from_the_list_resource_version()
    {
        source.CurrentList = new([Map("a", "5"), Map("b", "6")], "10");
        var inf = Start();

        await source.Lists.Reader.ReadAsync();
        var watch = await source.Watches.Reader.ReadAsync();

        watch.ResourceVersion.Should().Be("10");
        inf.HasSynced.Should().BeTrue();
        Names(inf).Should().Equal("a", "b");
        seen.Should().Equal("add a@5", "add b@6");
    }

    [Fact]
    public async Task Watch_events_update_the_cache_and_the_handlers()
    {
        source.CurrentList = new([Map("a", "5")], "10");
        var inf = Start();
        var watch = await source.Watches.Reader.ReadAsync();

        watch.Send(WatchEventType.Added, Map("b", "11"));
        watch.Send(WatchEventType.Modified, Map("a", "12"));
        watch.Send(WatchEventType.Deleted, Map("b", "13"));
        watch.End();
        var next = await source.Watches.Reader.ReadAsync();

        next.ResourceVersion.Should().Be("13", "a watch that ends normally resumes from the last resourceVersion");
        source.Lists.Reader.Count.Should().Be(1, "no relist after a normal end");
        inf.Store.List().Select(e => $"{e.Read<V1ConfigMap>().Metadata.Name}@{e.ResourceVersion}").Should().Equal("a@12");
        seen.Should().Equal("add a@5", "add b@11", "update a@5->12", "delete b@11");
    }

    [Fact]
    public async Task A_bookmark_moves_the_resource_version_on_without_touching_the_cache()
    {
        source.CurrentList = new([Map("a", "5")], "10");
        var inf = Start();
        var watch = await source.Watches.Reader.ReadAsync();

        watch.Send(WatchEventType.Bookmark, new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = "99" } });
        watch.End();
        var next = await source.Watches.Reader.ReadAsync();

        next.ResourceVersion.Should().Be("99");
        inf.Store.Count.Should().Be(1);
        seen.Should().Equal("add a@5");
    }

    [Fact]
    public async Task An_expired_watch_lists_again_and_emits_the_differences()
    {
        source.CurrentList = new([Map("keep", "1"), Map("change", "2"), Map("gone", "3")], "10");
        var inf = Start();
        await source.Lists.Reader.ReadAsync();
        var watch = await source.Watches.Reader.ReadAsync();
        seen.Clear();

        source.CurrentList = new([Map("keep", "1"), Map("change", "7"), Map("new", "8")], "20");
        watch.Events.Writer.TryWrite(new WatchEvent(WatchEventType.Error, null, new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }));
        await source.Lists.Reader.ReadAsync();
        var next = await source.Watches.Reader.ReadAsync();

        next.ResourceVersion.Should().Be("20");
        seen.Should().Equal("delete gone@3", "update change@2->7", "add new@8");
        Names(inf).Should().Equal("change", "keep", "new");
    }

    [Fact]
    public async Task A_410_answer_to_the_watch_lists_again()
    {
        source.CurrentList = new([Map("a", "1")], "10");
        Start();
        await source.Lists.Reader.ReadAsync();
        var watch = await source.Watches.Reader.ReadAsync();

        watch.End(new Kuroku.Runtime.Abstractions.KubernetesApiException(Kuroku.Runtime.Abstractions.ApiErrorReason.Gone, (int)System.Net.HttpStatusCode.Gone, "gone"));

        (await source.Lists.Reader.ReadAsync()).Should().BeNull("a relist starts from the first page");
    }

    [Fact]
    public async Task A_broken_stream_lists_again_after_a_backoff()
    {
        source.CurrentList = new([Map("a", "1")], "10");
        Start(TimeProvider.System, new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(2) });
        await source.Lists.Reader.ReadAsync();
        var watch = await source.Watches.Reader.ReadAsync();
        seen.Clear();

        source.CurrentList = new([Map("a", "2")], "30");
        watch.End(new IOException("connection reset"));
        await source.Lists.Reader.ReadAsync();
        var next = await source.Watches.Reader.ReadAsync();

        next.ResourceVersion.Should().Be("30");
        seen.Should().Equal("update a@1->2");
    }

    [Fact]
    public async Task A_silent_watch_is_restarted_from_the_same_resource_version()
    {
        source.CurrentList = new([Map("a", "1")], "10");
        var options = new InformerOptions { WatchTimeout = TimeSpan.FromMinutes(5), InactivityGrace = TimeSpan.FromSeconds(30) };
        Start(time, options);
        await source.Watches.Reader.ReadAsync();

        time.Advance(TimeSpan.FromMinutes(11));
        var next = await source.Watches.Reader.ReadAsync();

        next.ResourceVersion.Should().Be("10");
        source.Lists.Reader.Count.Should().Be(1, "a silent watch is restarted, not relisted");
    }

    [Fact]
    public async Task Not_synced_until_the_first_list()
    {
        var inf = new Informer(ResourceType.Of<V1ConfigMap>(), source, time, NullLogger.Instance);

        inf.HasSynced.Should().BeFalse();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        (await inf.WaitForSyncAsync(cts.Token)).Should().BeFalse();
    }

    [Fact]
    public async Task Lists_page_by_page_and_watches_from_the_last_pages_resource_version()
    {
        source.PageSize = 2;
        source.CurrentList = new([Map("a", "1"), Map("b", "2"), Map("c", "3"), Map("d", "4"), Map("e", "5")], "10");
        var inf = Start();

        var pages = new List<string?> { await source.Lists.Reader.ReadAsync(), await source.Lists.Reader.ReadAsync(), await source.Lists.Reader.ReadAsync() };
        var watch = await source.Watches.Reader.ReadAsync();

        pages.Should().Equal(null, "2", "4");
        watch.ResourceVersion.Should().Be("10");
        Names(inf).Should().Equal("a", "b", "c", "d", "e");
    }

    [Fact]
    public async Task A_continue_token_that_expired_between_pages_lists_again_from_the_first()
    {
        source.PageSize = 2;
        source.ExpireNextContinue = true;
        source.CurrentList = new([Map("a", "1"), Map("b", "2"), Map("c", "3")], "10");
        var inf = Start();

        var pages = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            pages.Add(await source.Lists.Reader.ReadAsync());
        }

        await source.Watches.Reader.ReadAsync();
        pages.Should().Equal(null, "2", null, "2");
        Names(inf).Should().Equal("a", "b", "c");
        seen.Should().Equal("add a@1", "add b@2", "add c@3");
    }

    [Fact]
    public async Task The_cache_keeps_what_the_transform_returns_and_files_it_under_its_indexes()
    {
        var map = Map("a", "1");
        map.Data = new Dictionary<string, string> { ["big"] = new string('x', 1000), ["app"] = "shop" };
        source.CurrentList = new([map], "10");
        var inf = Start(
            transform: obj =>
            {
                ((System.Text.Json.Nodes.JsonObject)obj["data"]!).Remove("big");
                return obj;
            },
            indexers: new Dictionary<string, IndexFunc> { ["app"] = obj => [obj["data"]!["app"]!.GetValue<string>()] });

        await source.Watches.Reader.ReadAsync();

        var cached = inf.Store.List().Single();
        cached.Read<V1ConfigMap>().Data.Should().Equal(new Dictionary<string, string> { ["app"] = "shop" });
        cached.Json.Length.Should().BeLessThan(300);
        inf.Store.ByIndex("app", "shop").Should().ContainSingle();
        inf.Store.ByIndex("app", "blog").Should().BeEmpty();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (run is not null)
        {
            await run;
        }

        stop.Dispose();
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public async Task Informers_sharing_a_page_limit_list_no_more_pages_at_once_than_it_allows(int slots, bool secondListsMeanwhile)
    {
        using var pages = new SemaphoreSlim(slots);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (first, second) = (new FakeListWatchSource { PageSize = 1 }, new FakeListWatchSource { PageSize = 1 });
        first.CurrentList = new([Map("a", "1"), Map("b", "2")], "5");
        second.CurrentList = new([Map("c", "3"), Map("d", "4")], "6");
        first.Hold = _ => held.Task;
        Informer Make(FakeListWatchSource source) => new(ResourceType.Of<V1ConfigMap>(), source, time, NullLogger.Instance, random: new Random(1), listPages: pages);
        var (one, two) = (Make(first), Make(second));

        var runs = new[] { one.RunAsync(stop.Token) };
        await first.Lists.Reader.ReadAsync();
        runs = [.. runs, two.RunAsync(stop.Token)];
        if (secondListsMeanwhile)
        {
            (await second.Lists.Reader.ReadAsync()).Should().BeNull("a second slot lets the other informer list while the first page is out");
        }
        else
        {
            await Task.Delay(200);
            second.Lists.Reader.TryRead(out _).Should().BeFalse("the only slot is held by the first informer's page");
        }

        held.SetResult();
        await one.WaitForSyncAsync(stop.Token);
        await two.WaitForSyncAsync(stop.Token);

        Names(one).Should().Equal("a", "b");
        Names(two).Should().Equal("c", "d");
        pages.CurrentCount.Should().Be(slots, "every page gives its slot back");
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }
}
