using Kuroku.Operator.UnitTests.Runtime.Fakes;
using Kuroku.Runtime.Informers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Informers;

public sealed class InformerListWatchTests : IAsyncDisposable
{
    private readonly FakeTimeProvider time = new();
    private readonly FakeListWatchSource<V1ConfigMap> source = new();
    private readonly List<string> seen = [];
    private readonly CancellationTokenSource stop = new();
    private Informer<V1ConfigMap>? informer;
    private Task? run;

    private static V1ConfigMap Map(string name, string rv, string? ns = "ns") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = rv } };

    private Informer<V1ConfigMap> Start(TimeProvider? clock = null, InformerOptions? options = null)
    {
        informer = new Informer<V1ConfigMap>(source, clock ?? time, NullLogger.Instance, options, new Random(1));
        informer.AddHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnAdd = o => seen.Add($"add {o.Metadata.Name}@{o.Metadata.ResourceVersion}"),
            OnUpdate = (o, n) => seen.Add($"update {n.Metadata.Name}@{o.Metadata.ResourceVersion}->{n.Metadata.ResourceVersion}"),
            OnDelete = o => seen.Add($"delete {o.Metadata.Name}@{o.Metadata.ResourceVersion}"),
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
        inf.Store.List().Select(o => o.Metadata.Name).Should().Equal("a", "b");
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
        inf.Store.List().Select(o => $"{o.Metadata.Name}@{o.Metadata.ResourceVersion}").Should().Equal("a@12");
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
        watch.Events.Writer.TryWrite(new WatchEvent<V1ConfigMap>(WatchEventType.Error, null, new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }));
        await source.Lists.Reader.ReadAsync();
        var next = await source.Watches.Reader.ReadAsync();

        next.ResourceVersion.Should().Be("20");
        seen.Should().Equal("delete gone@3", "update change@2->7", "add new@8");
        inf.Store.List().Select(o => o.Metadata.Name).Should().Equal("change", "keep", "new");
    }

    [Fact]
    public async Task A_410_answer_to_the_watch_lists_again()
    {
        source.CurrentList = new([Map("a", "1")], "10");
        Start();
        await source.Lists.Reader.ReadAsync();
        var watch = await source.Watches.Reader.ReadAsync();

        watch.End(new Kuroku.Runtime.Abstractions.KubernetesApiException(Kuroku.Runtime.Abstractions.ApiErrorReason.Gone, (int)System.Net.HttpStatusCode.Gone, "gone"));

        (await source.Lists.Reader.ReadAsync()).ResourceVersion.Should().Be("10");
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
        var inf = new Informer<V1ConfigMap>(source, time, NullLogger.Instance);

        inf.HasSynced.Should().BeFalse();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        (await inf.WaitForSyncAsync(cts.Token)).Should().BeFalse();
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
}
