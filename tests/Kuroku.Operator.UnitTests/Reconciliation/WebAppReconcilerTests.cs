using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.UnitTests.TestSupport;
using Kuroku.Runtime.Abstractions;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation;

public sealed class WebAppReconcilerTests
{
    private readonly FakeCluster _cluster = new();
    private readonly OperatorOptions _options = new();

    private WebAppReconciler Reconciler() => _cluster.Reconciler(_options);

    /// <summary>
    /// The example stored with what it refers to (its Secrets). With <paramref name="released"/>, its
    /// first release phase has already run, so its processes are live.
    /// </summary>
    private WebApp Stored(string example = "webapp.yaml", Action<WebApp>? edit = null, bool released = true)
    {
        var app = Repo.Example(example);
        edit?.Invoke(app);
        PutSecret(app.Metadata.NamespaceProperty, "shop-db", "url", "postgres://db/shop");
        PutSecret(app.Metadata.NamespaceProperty, "shop-secrets", "SECRET_KEY", "s3cret");
        var stored = _cluster.Put(app);
        if (released && stored.Spec.Release is not null)
        {
            ReconcileAsync(stored).GetAwaiter().GetResult();
            FinishJob(stored, 1, succeeded: true);
            ReconcileAsync(stored).GetAwaiter().GetResult();
            _cluster.Events.Clear();
        }

        return stored;
    }

    private void PutSecret(string ns, string name, string key, string value) => _cluster.PutSecret(ns, name, key, value);

    private void FinishJob(WebApp app, int version, bool succeeded) =>
        _cluster.FinishJob(app.Metadata.NamespaceProperty, $"{app.Metadata.Name}-release-v{version}", succeeded);

    private Task<ReconcileResult> ReconcileAsync(WebApp app) =>
        Reconciler().ReconcileAsync(app.Metadata.NamespaceProperty, app.Metadata.Name);

    private WebApp Current(WebApp app) => _cluster.GetWebApp(app.Metadata.NamespaceProperty, app.Metadata.Name)!;

    private void Edit(WebApp app, Action<WebApp> edit)
    {
        var current = Current(app);
        edit(current);
        current.Metadata.Generation++;
        _cluster.Put(current);
    }

    [Fact]
    public async Task Creates_every_desired_child_with_exactly_one_controller_reference()
    {
        var app = Stored("webapp.yaml", released: false);
        await ReconcileAsync(app);
        FinishJob(app, 1, succeeded: true);
        await ReconcileAsync(app);
        _cluster.Events.Should().ContainSingle(e => e.Type == EventType.Normal && e.Message.Contains("created", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("Deployment"))
            .Which.Should().Be((EventType.Normal, "ReleaseSucceeded",
                "Release phase of v1 succeeded; v1 is live. Created ConfigMap shop-router, Service shop, Deployment shop-web, Deployment shop-worker, "
                + "CronJob shop-cleanup, HorizontalPodAutoscaler shop-web, PodDisruptionBudget shop-web, Ingress shop"), "one event names every child the reconcile created");

        var desired = DesiredState.Build(Current(app), _options);
        desired.Should().NotBeEmpty();
        _cluster.Children().Where(c => c.Kind is not ("Secret" or "ControllerRevision" or "Job")).Select(c => (c.Kind, c.Metadata.Name))
            .Should().BeEquivalentTo(desired.Select(d => (d.Kind, d.Metadata.Name)));
        _cluster.Children().Where(c => c.Kind != "Secret").Should().AllSatisfy(c =>
            c.Metadata.OwnerReferences.Should().ContainSingle(r => r.Controller == true)
                .Which.Uid.Should().Be(app.Metadata.Uid));
    }

    [Fact]
    public async Task A_steady_app_causes_no_write_at_all()
    {
        var app = Stored();
        await ReconcileAsync(app);
        _cluster.Writes.Clear();

        await ReconcileAsync(app);
        await ReconcileAsync(app);

        _cluster.Writes.Should().BeEmpty();
    }

    [Fact]
    public async Task A_new_minimal_app_costs_its_children_its_release_one_status_write_and_one_event()
    {
        // A clock in the middle of a second: Kubernetes keeps times to the second, and a status stamped with
        // fractions would differ from the one read back and be written again.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, 500, TimeSpan.Zero));
        var app = _cluster.Put(Repo.Example("minimal.yaml"));
        var reconciler = _cluster.Reconciler(_options, clock);

        await reconciler.ReconcileAsync(app.Metadata.NamespaceProperty, app.Metadata.Name);
        clock.Advance(TimeSpan.FromSeconds(1.3));
        await reconciler.ReconcileAsync(app.Metadata.NamespaceProperty, app.Metadata.Name);

        _cluster.Writes.Should().BeEquivalentTo(
            ["create ControllerRevision hello-v1", "create ConfigMap hello-router", "create Service hello", "create Deployment hello-web", "status WebApp hello"]);
        _cluster.Events.Should().ContainSingle().Which.Should().Be((EventType.Normal, "Released",
            "Release v1 (initial release) is live. Created ConfigMap hello-router, Service hello, Deployment hello-web"));
        Current(app).Status!.Releases![0].CreatedAt.Should().Be(new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public async Task Changing_the_image_rewrites_the_workloads_and_nothing_else()
    {
        var app = Stored();
        await ReconcileAsync(app);
        var before = _cluster.Get<V1Deployment>("shop", "shop-web")!.Spec.Template.Metadata.Annotations;
        _cluster.Writes.Clear();

        Edit(app, a => a.Spec.Image = "registry.example.com/acme/shop:1.5.0");
        await ReconcileAsync(app);
        FinishJob(app, 2, succeeded: true);
        _cluster.Writes.Clear();
        await ReconcileAsync(app);

        _cluster.Writes.Where(w => !w.StartsWith("status", StringComparison.Ordinal))
            .Should().BeEquivalentTo(["patch ControllerRevision shop-v2", "update Deployment shop-web", "update Deployment shop-worker", "update CronJob shop-cleanup"]);
        _cluster.Get<V1Deployment>("shop", "shop-web")!.Spec.Template.Metadata.Annotations
            .Should().NotBeEquivalentTo(before, "the release hash on the pod template rolls the pods");
    }

    [Fact]
    public async Task Removing_a_process_deletes_its_deployment()
    {
        var app = Stored();
        await ReconcileAsync(app);

        Edit(app, a => { a.Spec.Processes.Remove("worker"); a.Spec.Release = null; });
        await ReconcileAsync(app);

        _cluster.Get<V1Deployment>("shop", "shop-worker").Should().BeNull();
        _cluster.Writes.Should().Contain("delete Deployment shop-worker");
        _cluster.Get<V1Deployment>("shop", "shop-web").Should().NotBeNull();
    }

    [Fact]
    public async Task A_child_deleted_by_hand_comes_back()
    {
        var app = Stored();
        await ReconcileAsync(app);

        _cluster.Remove<V1Service>("shop", "shop");
        await ReconcileAsync(app);

        _cluster.Get<V1Service>("shop", "shop").Should().NotBeNull();
    }

    [Fact]
    public async Task A_hand_edit_of_an_owned_field_is_repaired_and_foreign_annotations_survive()
    {
        var app = Stored();
        await ReconcileAsync(app);
        var live = _cluster.Get<V1Deployment>("shop", "shop-worker")!;
        live.Spec.Template.Spec.Containers[0].Image = "evil:latest";
        live.Metadata.Annotations ??= new Dictionary<string, string>();
        live.Metadata.Annotations["team.example.com/owner"] = "payments";
        _cluster.Put(live);

        await ReconcileAsync(app);

        var repaired = _cluster.Get<V1Deployment>("shop", "shop-worker")!;
        repaired.Spec.Template.Spec.Containers[0].Image.Should().Be("registry.example.com/acme/shop:1.4.2");
        repaired.Metadata.Annotations.Should().ContainKey("team.example.com/owner");
    }

    [Fact]
    public async Task Replicas_set_by_the_autoscaler_are_left_alone()
    {
        var app = Stored();
        await ReconcileAsync(app);
        var web = _cluster.Get<V1Deployment>("shop", "shop-web")!;
        web.Spec.Replicas = 7;
        _cluster.Put(web);
        _cluster.Writes.Clear();

        await ReconcileAsync(app);

        _cluster.Writes.Should().NotContain(w => w.Contains("Deployment", StringComparison.Ordinal));
        _cluster.Get<V1Deployment>("shop", "shop-web")!.Spec.Replicas.Should().Be(7);
    }

    [Fact]
    public async Task An_invalid_spec_touches_no_child_and_says_why_once()
    {
        var app = Stored("minimal.yaml", a => a.Spec.Image = "");
        await ReconcileAsync(app);
        await ReconcileAsync(app);

        _cluster.Children().Should().OnlyContain(c => c.Kind == "Secret", "nothing but the test's own Secrets");
        var ready = Current(app).Status!.Conditions!.Single(c => c.Type == "Ready");
        ready.Status.Should().Be("False");
        ready.Reason.Should().Be("InvalidSpec");
        ready.Message.Should().Contain("spec.image");
        _cluster.Events.Should().ContainSingle(e => e.Type == EventType.Warning && e.Reason == "InvalidSpec");
    }

    [Fact]
    public async Task An_invalid_change_after_a_good_one_leaves_the_children_as_they_were()
    {
        var app = Stored();
        await ReconcileAsync(app);
        var before = _cluster.Children().Select(c => c.Metadata.ResourceVersion).ToList();

        Edit(app, a => a.Spec.Port = 0);
        await ReconcileAsync(app);

        _cluster.Children().Select(c => c.Metadata.ResourceVersion).Should().Equal(before);
        Current(app).Status!.Conditions!.Single(c => c.Type == "Ready").Reason.Should().Be("InvalidSpec");
    }

    [Fact]
    public async Task A_namesake_owned_by_someone_else_is_not_touched_and_is_reported()
    {
        var app = Stored("minimal.yaml");
        _cluster.Put(new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "hello", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["owner"] = "me" } },
        });

        await ReconcileAsync(app);

        _cluster.Get<V1Service>("default", "hello")!.Metadata.Labels.Should().Equal(new Dictionary<string, string> { ["owner"] = "me" });
        var degraded = Current(app).Status!.Conditions!.Single(c => c.Type == "Degraded");
        degraded.Reason.Should().Be("ChildConflict");
        degraded.Message.Should().Contain("Service hello");
    }

    [Fact]
    public async Task A_conflict_on_update_is_retried_from_the_servers_copy()
    {
        var app = Stored();
        await ReconcileAsync(app);
        Edit(app, a => { a.Spec.Image = "registry.example.com/acme/shop:2.0.0"; a.Spec.Release = null; });
        _cluster.ConflictOnNextUpdate.Add("shop-web");

        await ReconcileAsync(app);

        _cluster.Get<V1Deployment>("shop", "shop-web")!.Spec.Template.Spec.Containers
            .Should().Contain(c => c.Image == "registry.example.com/acme/shop:2.0.0");
    }

    [Fact]
    public async Task Ready_deployments_make_the_app_ready()
    {
        var app = Stored("minimal.yaml");
        await ReconcileAsync(app);
        Current(app).Status!.Conditions!.Single(c => c.Type == "Ready").Status.Should().Be("False");

        var web = _cluster.Get<V1Deployment>("default", "hello-web")!;
        web.Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 1, UpdatedReplicas = 1, ReadyReplicas = 1, AvailableReplicas = 1 };
        _cluster.Put(web);
        await ReconcileAsync(app);

        var status = Current(app).Status!;
        status.Conditions!.Single(c => c.Type == "Ready").Status.Should().Be("True");
        status.ProcessSummary.Should().Be("web 1/1");
        status.ObservedGeneration.Should().Be(1);
    }

    [Fact]
    public async Task A_deleted_app_is_left_to_the_garbage_collector()
    {
        var app = Stored("minimal.yaml");
        await ReconcileAsync(app);
        _cluster.Writes.Clear();
        _cluster.Remove<WebApp>("default", "hello");

        await ReconcileAsync(app);

        _cluster.Writes.Should().BeEmpty();
    }
}
