using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.UnitTests.TestSupport;
using Kuroku.Runtime.Abstractions;
using Microsoft.Extensions.Time.Testing;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation;

/// <summary>Releases over time through the reconciler, on the in-memory cluster.</summary>
public sealed class WebAppReleaseTests
{
    private readonly FakeCluster _cluster = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private Task<ReconcileResult> ReconcileAsync() =>
        _cluster.Reconciler(clock: _clock).ReconcileAsync("shop", "shop");

    private WebApp App => _cluster.GetWebApp("shop", "shop")!;
    private V1Deployment Web => _cluster.Get<V1Deployment>("shop", "shop-web")!;
    private V1Job? Job(int v) => _cluster.Get<V1Job>("shop", $"shop-release-v{v}");
    private V1Condition Condition(string type) => App.Status!.Conditions!.Single(c => c.Type == type);

    private void Start(Action<WebApp>? edit = null)
    {
        var app = Repo.Example("webapp.yaml");
        edit?.Invoke(app);
        Secret("shop-db", "url", "postgres://db/shop");
        Secret("shop-secrets", "SECRET_KEY", "one");
        _cluster.Put(app);
    }

    private void Secret(string name, string key, string value) => _cluster.PutSecret("shop", name, key, value);

    private void Edit(Action<WebApp> edit)
    {
        var app = App;
        edit(app);
        app.Metadata.Generation++;
        _cluster.Put(app);
    }

    private void Finish(int version, bool succeeded, string reason = "BackoffLimitExceeded") =>
        _cluster.FinishJob("shop", $"shop-release-v{version}", succeeded, reason);

    private async Task ReleasedAsync(int version)
    {
        await ReconcileAsync();
        Finish(version, succeeded: true);
        await ReconcileAsync();
    }

    [Fact]
    public async Task The_first_release_runs_its_release_phase_before_any_process_exists()
    {
        Start();
        var result = await ReconcileAsync();

        Job(1).Should().NotBeNull();
        Job(1)!.Spec.Template.Spec.Containers[0].Command.Should().Equal("python", "manage.py", "migrate");
        Job(1)!.Spec.ActiveDeadlineSeconds.Should().Be(3600);
        Job(1)!.Spec.BackoffLimit.Should().Be(0);
        _cluster.Get<V1Deployment>("shop", "shop-web").Should().BeNull();
        Condition("Ready").Reason.Should().Be("ReleasePhaseRunning");
        App.Status!.Releases!.Single().Should().BeEquivalentTo(new { Version = 1, Phase = "Running", Reason = "initial release" });
        result.RequeueAfter.Should().Be(TimeSpan.FromSeconds(3600), "the timeout is checked when it falls due");

        Finish(1, succeeded: true);
        await ReconcileAsync();

        Web.Should().NotBeNull();
        App.Status!.Release.Should().Be(1);
        _cluster.Events.Should().Contain(e => e.Reason == "ReleaseSucceeded");
    }

    [Fact]
    public async Task A_config_change_makes_a_release_and_the_pods_roll_only_after_the_release_phase_succeeds()
    {
        Start();
        await ReleasedAsync(1);
        var before = Web.Spec.Template;

        Edit(a => a.Spec.Env!.Add(new V1EnvVar { Name = "FEATURE_X", Value = "on" }));
        await ReconcileAsync();

        Job(2).Should().NotBeNull();
        Web.Spec.Template.Should().BeEquivalentTo(before, "v1 keeps running while v2's release phase runs");
        App.Status!.Release.Should().Be(1);

        Finish(2, succeeded: true);
        await ReconcileAsync();

        Web.Spec.Template.Spec.Containers[0].Env.Should().Contain(e => e.Name == "FEATURE_X");
        App.Status!.Release.Should().Be(2);
        App.Status!.Releases!.Select(r => (r.Version, r.Reason)).Should().Equal((2, "config vars changed"), (1, "initial release"));
        Job(1).Should().BeNull("the Jobs of superseded releases are cleaned up");
    }

    [Fact]
    public async Task Scaling_makes_no_release()
    {
        Start();
        await ReleasedAsync(1);

        Edit(a => a.Spec.Processes["worker"].Replicas = 4);
        await ReconcileAsync();

        _cluster.Get<V1Deployment>("shop", "shop-worker")!.Spec.Replicas.Should().Be(4);
        App.Status!.Releases!.Should().ContainSingle();
        Job(2).Should().BeNull();
    }

    [Fact]
    public async Task A_change_in_a_referenced_secret_makes_a_release_that_rolls_the_pods()
    {
        Start(a => a.Spec.Release = null);
        await ReconcileAsync();
        var hash = Web.Spec.Template.Metadata.Annotations["kuroku.dev/release-hash"];

        Secret("shop-db", "url", "postgres://new-db/shop");
        await ReconcileAsync();

        App.Status!.Release.Should().Be(2);
        App.Status!.Releases![0].Reason.Should().Be("referenced config changed");
        Web.Spec.Template.Metadata.Annotations["kuroku.dev/release-hash"].Should().NotBe(hash);
    }

    [Fact]
    public async Task A_failed_release_phase_keeps_the_previous_release_live_and_says_why_once()
    {
        Start();
        await ReleasedAsync(1);
        var before = Web.Spec.Template;

        Edit(a => a.Spec.Image = "registry.example.com/acme/shop:1.5.0");
        await ReconcileAsync();
        Finish(2, succeeded: false);
        await ReconcileAsync();
        await ReconcileAsync();

        Web.Spec.Template.Should().BeEquivalentTo(before);
        App.Status!.Release.Should().Be(1);
        App.Status!.Releases![0].Should().BeEquivalentTo(new { Version = 2, Phase = "Failed" });
        Condition("Degraded").Should().BeEquivalentTo(new { Status = "True", Reason = "ReleaseFailed" });
        Condition("Degraded").Message.Should().Contain("v1 keeps serving");
        _cluster.Events.Should().ContainSingle(e => e.Type == EventType.Warning && e.Reason == "ReleaseFailed");
        Job(3).Should().BeNull("nothing more happens until the spec changes");
    }

    [Fact]
    public async Task A_release_phase_past_its_timeout_fails_and_its_job_is_stopped()
    {
        Start(a => a.Spec.Release!.TimeoutSeconds = 60);
        await ReleasedAsync(1);
        Edit(a => a.Spec.Image = "registry.example.com/acme/shop:1.5.0");
        await ReconcileAsync();

        _clock.Advance(TimeSpan.FromSeconds(61));
        await ReconcileAsync();

        App.Status!.Releases![0].Phase.Should().Be("Failed");
        App.Status!.Releases![0].Message.Should().Contain("did not finish within 60s");
        Job(2).Should().BeNull();
        App.Status!.Release.Should().Be(1);
    }

    [Fact]
    public async Task A_rollback_makes_a_new_release_with_the_old_config_and_runs_the_release_phase_again()
    {
        Start();
        await ReleasedAsync(1);
        Edit(a => a.Spec.Image = "registry.example.com/acme/shop:2.0.0");
        await ReleasedAsync(2);

        Edit(a =>
        {
            a.Spec.Image = "registry.example.com/acme/shop:1.4.2";
            a.Metadata.Annotations = new Dictionary<string, string> { ["kuroku.dev/rollback-to"] = "1" };
        });
        await ReconcileAsync();

        Job(3).Should().NotBeNull("the release phase runs again, as on Heroku");
        App.Status!.Releases![0].Should().BeEquivalentTo(new { Version = 3, Reason = "rollback to v1", Image = "registry.example.com/acme/shop:1.4.2" });
        Finish(3, succeeded: true);
        await ReconcileAsync();
        Web.Spec.Template.Spec.Containers[0].Image.Should().Be("registry.example.com/acme/shop:1.4.2");
    }

    [Fact]
    public async Task History_is_bounded_to_the_last_ten_releases()
    {
        Start(a => a.Spec.Release = null);
        for (var i = 0; i < 13; i++)
        {
            Edit(a => a.Spec.Image = $"registry.example.com/acme/shop:1.{i}");
            await ReconcileAsync();
        }

        var versions = _cluster.ListOwnedBy<V1ControllerRevision>(App.Metadata.Uid).Select(r => (int)r.Revision!).Order().ToList();
        versions.Should().Equal(Enumerable.Range(4, 10));
        App.Status!.Releases!.Should().HaveCount(10);
        App.Status!.Release.Should().Be(13);
    }

    [Fact]
    public async Task A_missing_referenced_secret_is_a_condition_not_a_crash_and_makes_no_release()
    {
        var app = Repo.Example("webapp.yaml");
        _cluster.Put(app);
        await ReconcileAsync();

        Condition("Ready").Reason.Should().Be("ConfigMissing");
        Condition("Ready").Message.Should().Contain("spec.env[1].valueFrom.secretKeyRef: Secret \"shop-db\" not found");
        _cluster.ListOwnedBy<V1ControllerRevision>(App.Metadata.Uid).Should().BeEmpty();
        _cluster.Events.Should().ContainSingle(e => e.Reason == "ConfigMissing");
    }
}

public sealed class ReplicasUnderAutoscalingTests
{
    [Fact]
    public async Task Scaling_an_autoscaled_process_is_explained_once_per_spec_change()
    {
        var cluster = new FakeCluster();
        var app = Repo.Example("webapp.yaml");
        app.Spec.Release = null;
        app.Spec.Env = null;
        app.Spec.EnvFrom = null;
        app.Spec.Processes["web"].Replicas = 4;
        cluster.Put(app);
        var reconciler = cluster.Reconciler();

        await reconciler.ReconcileAsync("shop", "shop");
        await reconciler.ReconcileAsync("shop", "shop");

        cluster.Events.Should().ContainSingle(e => e.Reason == "ReplicasIgnored")
            .Which.Message.Should().StartWith("spec.processes.web.replicas (4) has no effect while spec.processes.web.autoscaling is set");
        cluster.Get<V1Deployment>("shop", "shop-web")!.Spec.Replicas.Should().BeNull("the HPA owns them");
    }
}

public sealed class ReleaseRecordingTests
{
    [Fact]
    public async Task A_release_already_recorded_behind_a_stale_cache_is_a_quiet_conflict_not_a_second_record()
    {
        var cluster = new FakeCluster();
        var app = Repo.Example("minimal.yaml");
        cluster.Put(app);
        await cluster.Reconciler().ReconcileAsync("default", "hello");
        cluster.Remove<V1ControllerRevision>("default", "hello-v1");       // as if the cache had not seen it yet
        cluster.FailCreates = new KubernetesApiException(ApiErrorReason.AlreadyExists, 409, "controllerrevisions \"hello-v1\" already exists");

        // A new reconciler (a restarted operator) remembers nothing of the first reconcile's writes.
        var act = () => cluster.Reconciler().ReconcileAsync("default", "hello");

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.Reason.Should().Be(ApiErrorReason.Conflict,
            "a conflict is retried quietly from fresh state; an AlreadyExists would surface as a failed reconcile");
    }
}

public sealed class ReconcileMemoTests
{
    private readonly FakeCluster cluster = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task While_the_cache_lags_behind_its_own_writes_a_reconcile_waits_for_them_instead_of_acting_on_stale_state()
    {
        cluster.Put(Repo.Example("minimal.yaml"));
        var reconciler = cluster.Reconciler(clock: clock);
        cluster.Lagging.Add("Deployment hello-web");                         // the cache will not see the create for a while
        await reconciler.ReconcileAsync("default", "hello");
        cluster.Writes.Clear();

        var waiting = await reconciler.ReconcileAsync("default", "hello");
        cluster.Lagging.Clear();                                              // the watch event arrives
        clock.Advance(TimeSpan.FromSeconds(1));
        await reconciler.ReconcileAsync("default", "hello");

        waiting.RequeueAfter.Should().Be(ReconcileMemo.ExpectationTimeout, "it looks again when the wait runs out, if no event comes first");
        cluster.Writes.Should().BeEmpty("nothing was created twice, and the version the cache shows later is the app's own write");
    }

    [Fact]
    public async Task A_write_the_cache_showed_before_the_reconcile_ended_is_not_waited_for_so_deleting_it_by_hand_is_repaired_at_once()
    {
        cluster.Put(Repo.Example("minimal.yaml"));
        var reconciler = cluster.Reconciler(clock: clock);
        await reconciler.ReconcileAsync("default", "hello");                  // every watch event arrived during the reconcile
        cluster.Remove<V1Deployment>("default", "hello-web");                // then the Deployment is deleted by hand
        cluster.Writes.Clear();

        var result = await reconciler.ReconcileAsync("default", "hello");

        result.RequeueAfter.Should().BeNull("the create was seen already: its absence now is a change, not a lagging cache");
        cluster.Writes.Should().Equal("create Deployment hello-web");
    }

    [Fact]
    public async Task The_reconciles_caused_by_its_own_writes_are_skipped_and_any_other_change_is_reconciled()
    {
        cluster.Put(Repo.Example("minimal.yaml"));
        var reconciler = cluster.Reconciler(clock: clock);
        await reconciler.ReconcileAsync("default", "hello");
        cluster.Writes.Clear();

        await reconciler.ReconcileAsync("default", "hello");
        cluster.Remove<V1Service>("default", "hello");                      // deleted by hand
        await reconciler.ReconcileAsync("default", "hello");

        cluster.Writes.Should().Equal("create Service hello");
    }

    [Fact]
    public async Task A_change_the_cache_missed_is_repaired_once_the_remembered_reconcile_is_a_resync_period_old()
    {
        cluster.Put(Repo.Example("minimal.yaml"));
        var reconciler = cluster.Reconciler(new OperatorOptions { ResyncPeriod = TimeSpan.FromMinutes(10) }, clock);
        await reconciler.ReconcileAsync("default", "hello");
        cluster.Tamper<V1Service>("default", "hello", s => s.Spec.Ports[0].Port = 8081);   // no new version: a lost watch event
        cluster.Writes.Clear();

        clock.Advance(TimeSpan.FromMinutes(9));
        await reconciler.ReconcileAsync("default", "hello");
        var beforeTheResync = cluster.Writes.ToList();
        clock.Advance(TimeSpan.FromMinutes(2));
        await reconciler.ReconcileAsync("default", "hello");

        beforeTheResync.Should().BeEmpty();
        cluster.Writes.Should().Equal("update Service hello");
    }
}
