using Kuroku.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Kuroku.Operator.UnitTests.Runtime.Queue;

public sealed class WorkQueueSemanticsTests
{
    private readonly FakeTimeProvider time = new();

    private WorkQueue NewQueue() =>
        new("test", time, new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)));

    [Fact]
    public async Task Repeated_adds_of_a_waiting_key_collapse_into_one()
    {
        using var queue = NewQueue();

        queue.Add("ns/a");
        queue.Add("ns/b");
        queue.Add("ns/a");
        queue.Add("ns/a");

        queue.Count.Should().Be(2);
        (await queue.GetAsync()).Should().Be("ns/a");
        (await queue.GetAsync()).Should().Be("ns/b");
        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_to_a_second_worker()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        var first = await queue.GetAsync();

        queue.Add("ns/a");
        var second = queue.GetAsync();

        first.Should().Be("ns/a");
        queue.Count.Should().Be(0);
        second.IsCompleted.Should().BeFalse();

        queue.Done("ns/a");

        (await second).Should().Be("ns/a");
    }

    [Fact]
    public async Task A_key_readded_while_processing_is_queued_once_when_done()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        await queue.GetAsync();

        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Count.Should().Be(0);

        queue.Done("ns/a");

        queue.Count.Should().Be(1);
        (await queue.GetAsync()).Should().Be("ns/a");
        queue.Done("ns/a");
        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task Done_without_readd_does_not_queue_the_key_again()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        await queue.GetAsync();

        queue.Done("ns/a");

        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task Get_waits_until_a_key_is_added()
    {
        using var queue = NewQueue();
        var pending = queue.GetAsync();
        pending.IsCompleted.Should().BeFalse();

        queue.Add("ns/a");

        (await pending).Should().Be("ns/a");
    }

    [Fact]
    public async Task Get_returns_null_on_shutdown()
    {
        using var queue = NewQueue();
        var pending = queue.GetAsync();

        queue.ShutDown();

        (await pending).Should().BeNull();
        (await queue.GetAsync()).Should().BeNull();
        queue.Add("ns/a");
        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_get_does_not_swallow_the_next_key()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token);
        cts.Cancel();
        await FluentActions.Awaiting(() => cancelled).Should().ThrowAsync<OperationCanceledException>();

        queue.Add("ns/a");

        queue.Count.Should().Be(1);
        (await queue.GetAsync()).Should().Be("ns/a");
    }

    [Fact]
    public async Task AddAfter_adds_the_key_only_once_the_delay_passed()
    {
        using var queue = NewQueue();

        queue.AddAfter("ns/a", TimeSpan.FromSeconds(10));
        queue.Count.Should().Be(0);
        queue.DelayedCount.Should().Be(1);

        time.Advance(TimeSpan.FromSeconds(9.999));
        queue.Count.Should().Be(0);

        time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Count.Should().Be(1);
        queue.DelayedCount.Should().Be(0);
        (await queue.GetAsync()).Should().Be("ns/a");
    }

    [Fact]
    public void AddAfter_keeps_the_earliest_time_for_a_key()
    {
        using var queue = NewQueue();

        queue.AddAfter("ns/a", TimeSpan.FromSeconds(10));
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(2));
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromSeconds(2));
        queue.Count.Should().Be(1);
        queue.DelayedCount.Should().Be(0);
    }

    [Fact]
    public async Task Delayed_keys_become_ready_in_due_order()
    {
        using var queue = NewQueue();
        queue.AddAfter("ns/late", TimeSpan.FromSeconds(3));
        queue.AddAfter("ns/early", TimeSpan.FromSeconds(1));
        queue.AddAfter("ns/middle", TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(5));

        (await queue.GetAsync()).Should().Be("ns/early");
        (await queue.GetAsync()).Should().Be("ns/middle");
        (await queue.GetAsync()).Should().Be("ns/late");
    }

    [Fact]
    public void AddRateLimited_backs_off_exponentially_until_forgotten()
    {
        using var queue = NewQueue();

        queue.AddRateLimited("ns/a");
        queue.AddRateLimited("ns/a");
        queue.NumRequeues("ns/a").Should().Be(2);
        time.Advance(TimeSpan.FromMilliseconds(4));
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Count.Should().Be(1);

        queue.Forget("ns/a");
        queue.NumRequeues("ns/a").Should().Be(0);
    }

    [Fact]
    public async Task Shutdown_with_drain_waits_for_in_flight_keys()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        await queue.GetAsync();

        var drain = queue.ShutDownWithDrainAsync(TimeSpan.FromSeconds(30));
        drain.IsCompleted.Should().BeFalse();
        (await queue.GetAsync()).Should().BeNull();

        queue.Done("ns/a");

        (await drain).Should().BeTrue();
    }

    [Fact]
    public async Task Shutdown_with_drain_gives_up_after_the_bound()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        await queue.GetAsync();

        var drain = queue.ShutDownWithDrainAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));

        (await drain).Should().BeFalse();
    }

    [Fact]
    public async Task Shutdown_with_drain_returns_at_once_when_nothing_is_in_flight()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");

        (await queue.ShutDownWithDrainAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
    }

    [Fact]
    public async Task Metrics_see_depth_and_wait_time()
    {
        var metrics = new RecordingMetrics();
        using var queue = new WorkQueue("q", time, new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1)), metrics);

        queue.Add("ns/a");
        queue.Add("ns/b");
        time.Advance(TimeSpan.FromSeconds(3));
        await queue.GetAsync();
        time.Advance(TimeSpan.FromSeconds(2));
        queue.Done("ns/a");

        metrics.Depths.Should().Equal(1, 2, 1);
        metrics.Waits.Should().Equal(TimeSpan.FromSeconds(3));
        metrics.Durations.Should().Equal(TimeSpan.FromSeconds(2));
        metrics.Adds.Should().Be(2);
    }

    private sealed class RecordingMetrics : IWorkQueueMetrics
    {
        public List<int> Depths { get; } = [];

        public List<TimeSpan> Waits { get; } = [];

        public List<TimeSpan> Durations { get; } = [];

        public int Adds { get; private set; }

        public void Added(string queue) => Adds++;

        public void DepthChanged(string queue, int depth) => Depths.Add(depth);

        public void Waited(string queue, TimeSpan wait) => Waits.Add(wait);

        public void Processed(string queue, TimeSpan duration) => Durations.Add(duration);

        public void Retried(string queue)
        {
        }
    }
}
