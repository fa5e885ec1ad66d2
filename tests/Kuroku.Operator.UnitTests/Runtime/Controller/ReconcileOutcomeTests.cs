using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kuroku.Operator.UnitTests.Runtime.Controller;

public sealed class ReconcileOutcomeTests
{
    public static TheoryData<string, ReconcileResult?, Exception?, bool, QueueActionKind, double> Table => new()
    {
        { "success", ReconcileResult.Done, null, false, QueueActionKind.Forget, 0 },
        { "requeue after 30 s", ReconcileResult.After(TimeSpan.FromSeconds(30)), null, false, QueueActionKind.ForgetAndAddAfter, 30 },
        { "requeue after zero", ReconcileResult.After(TimeSpan.Zero), null, false, QueueActionKind.AddRateLimited, 0 },
        { "requeue with backoff", ReconcileResult.RequeueWithBackoff(), null, false, QueueActionKind.AddRateLimited, 0 },
        { "error", null, new InvalidOperationException("boom"), false, QueueActionKind.AddRateLimited, 0 },
        { "conflict", null, new KubernetesApiException(ApiErrorReason.Conflict, (int)System.Net.HttpStatusCode.Conflict, "stale"), false, QueueActionKind.AddRateLimited, 0 },
        { "terminal", null, new TerminalReconcileException("bad spec"), false, QueueActionKind.ForgetTerminal, 0 },
        { "cancelled on shutdown", null, new OperationCanceledException(), true, QueueActionKind.None, 0 },
        { "cancelled while running", null, new OperationCanceledException(), false, QueueActionKind.AddRateLimited, 0 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_outcome_maps_to_one_queue_action(string name, ReconcileResult? result, Exception? error, bool stopping, QueueActionKind kind, double delaySeconds)
    {
        var action = ReconcileOutcomes.Decide(result, error, stopping);

        action.Should().Be(new QueueAction(kind, TimeSpan.FromSeconds(delaySeconds)), name);
    }

    [Fact]
    public async Task Success_forgets_the_failures_of_the_key()
    {
        var (queue, _, controller, reconciler) = Setup();
        queue.AddRateLimited("ns/a");
        queue.AddRateLimited("ns/a");
        reconciler.Next = () => ReconcileResult.Done;

        await controller.ProcessAsync("ns/a", CancellationToken.None);

        queue.NumRequeues("ns/a").Should().Be(0);
        reconciler.Keys.Should().Equal(new ObjectKey("ns", "a"));
    }

    [Fact]
    public async Task An_error_requeues_with_growing_backoff()
    {
        var (queue, time, controller, reconciler) = Setup();
        reconciler.Next = () => throw new InvalidOperationException("boom");

        await controller.ProcessAsync("ns/a", CancellationToken.None);
        await controller.ProcessAsync("ns/a", CancellationToken.None);

        queue.NumRequeues("ns/a").Should().Be(2);
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(5));
        queue.Count.Should().Be(1);
    }

    [Fact]
    public async Task Requeue_after_forgets_then_adds_after_the_delay()
    {
        var (queue, time, controller, reconciler) = Setup();
        queue.AddRateLimited("ns/a");
        time.Advance(TimeSpan.FromMilliseconds(5));
        await queue.GetAsync();
        reconciler.Next = () => ReconcileResult.After(TimeSpan.FromMinutes(1));

        await controller.ProcessAsync("ns/a", CancellationToken.None);
        queue.Done("ns/a");

        queue.NumRequeues("ns/a").Should().Be(0);
        queue.DelayedCount.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(59));
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(1));
        queue.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_terminal_error_is_counted_and_not_retried()
    {
        var metrics = new RecordingControllerMetrics();
        var (queue, _, controller, reconciler) = Setup(metrics);
        queue.AddRateLimited("ns/a");
        reconciler.Next = () => throw new TerminalReconcileException("bad spec");

        await controller.ProcessAsync("ns/a", CancellationToken.None);

        queue.NumRequeues("ns/a").Should().Be(0);
        queue.DelayedCount.Should().Be(1, "only the add made before the reconcile is pending");
        metrics.Results.Should().Equal("terminal_error");
    }

    [Fact]
    public async Task Workers_reconcile_queued_keys_and_stop_on_cancel()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue("test", time, RateLimiters.DefaultController(time));
        var reconciler = new FakeReconciler();
        var seen = new TaskCompletionSource();
        reconciler.Next = () =>
        {
            if (reconciler.Keys.Count == 2)
            {
                seen.TrySetResult();
            }

            return ReconcileResult.Done;
        };
        var controller = new ReconcileController("test", queue, reconciler, new ControllerOptions { Workers = 2 }, time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        queue.Add("ns/a");
        queue.Add("ns/b");
        await seen.Task;
        cts.Cancel();
        await run;

        reconciler.Keys.Select(k => k.ToString()).Order().Should().Equal("ns/a", "ns/b");
        queue.IsShuttingDown.Should().BeTrue();
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_reconcile_finish()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue("test", time, RateLimiters.DefaultController(time));
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var finished = false;
        var reconciler = new FakeReconciler
        {
            NextAsync = async ct =>
            {
                started.TrySetResult();
                await release.Task;
                finished = !ct.IsCancellationRequested;
                return ReconcileResult.Done;
            },
        };
        var controller = new ReconcileController("test", queue, reconciler, new ControllerOptions { Workers = 1 }, time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);
        queue.Add("ns/a");
        await started.Task;

        cts.Cancel();
        run.IsCompleted.Should().BeFalse();
        release.SetResult();
        await run;

        finished.Should().BeTrue("the reconcile was not cancelled while it finished within the bound");
    }

    private static (WorkQueue Queue, FakeTimeProvider Time, ReconcileController Controller, FakeReconciler Reconciler) Setup(IControllerMetrics? metrics = null)
    {
        var time = new FakeTimeProvider();
        var queue = new WorkQueue("test", time, new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)));
        var reconciler = new FakeReconciler();
        var controller = new ReconcileController("test", queue, reconciler, new ControllerOptions(), time, NullLogger.Instance, metrics);
        return (queue, time, controller, reconciler);
    }

    private sealed class FakeReconciler : IReconciler
    {
        public List<ObjectKey> Keys { get; } = [];

        public Func<ReconcileResult> Next { get; set; } = () => ReconcileResult.Done;

        public Func<CancellationToken, Task<ReconcileResult>>? NextAsync { get; set; }

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            lock (Keys)
            {
                Keys.Add(key);
            }

            return NextAsync is { } next ? next(cancellationToken) : Task.FromResult(Next());
        }
    }

    private sealed class RecordingControllerMetrics : IControllerMetrics
    {
        public List<string> Results { get; } = [];

        public void Reconciled(string controller, string result, TimeSpan duration) => Results.Add(result);

        public void ActiveWorkersChanged(string controller, int active)
        {
        }
    }
}
