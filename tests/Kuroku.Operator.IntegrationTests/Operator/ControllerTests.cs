using System.Net;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>The operator running in-process against the API server: the controller issue's scenarios.</summary>
public sealed class ControllerTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.StartOperatorAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static WebApp Hello(Action<WebApp>? edit = null)
    {
        var app = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));
        app.Spec.Processes["worker"] = new ProcessSpec { Command = ["celery", "worker"] };
        edit?.Invoke(app);
        return app;
    }

    private Task<V1Deployment?> Deployment(string name) => _cluster.DeploymentAsync(name);

    private async Task<bool> Exists<T>(Func<Task<T>> read)
    {
        try
        {
            await read();
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private Task Eventually(Func<Task<bool>> condition, string what) => TestCluster.EventuallyAsync(condition, what);

    private async Task<V1Condition?> Condition(string type) =>
        (await _cluster.GetAsync("hello")).Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task Creating_a_webapp_creates_its_children_with_an_owner_reference()
    {
        var app = await _cluster.CreateAsync(Hello());

        await Eventually(async () => await Deployment("hello-worker") is not null, "the worker Deployment");
        var web = (await Deployment("hello-web"))!;
        web.Metadata.OwnerReferences.Should().ContainSingle(r => r.Controller == true && r.Uid == app.Metadata.Uid && r.Kind == "WebApp");
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
        service.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == app.Metadata.Uid);
        (await Exists(() => _cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("hello-router", _cluster.Namespace))).Should().BeTrue();
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 1, "release v1 in status");
    }

    private const string ReleaseHashAnnotation = "kuroku.dev/release-hash";

    private static string? ReleaseHash(V1Deployment? d) =>
        d?.Spec.Template.Metadata?.Annotations?.TryGetValue(ReleaseHashAnnotation, out var hash) == true ? hash : null;

    /// <summary>Creates hello and waits until both its Deployments exist; returns the app as the server has it.</summary>
    private async Task<WebApp> CreateHelloAsync(Action<WebApp>? edit = null)
    {
        var app = await _cluster.CreateAsync(Hello(edit));
        await Eventually(async () => await Deployment("hello-web") is not null && await Deployment("hello-worker") is not null, "both Deployments");
        return app;
    }

    private async Task MarkReadyAsync()
    {
        await _cluster.MarkReadyAsync("hello-web");
        await _cluster.MarkReadyAsync("hello-worker");
        await Eventually(async () => (await Condition(Conditions.Ready))?.Status == "True", "Ready=True");
    }

    [Fact]
    public async Task Changing_the_image_rolls_a_new_release_hash_into_the_deployments_and_rewrites_nothing_else()
    {
        await CreateHelloAsync();
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 1, "release v1 in status");
        var before = (await Deployment("hello-web"))!;
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
        var router = await _cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("hello-router", _cluster.Namespace);
        _cluster.Server?.Requests.Clear();

        await _cluster.EditAsync("hello", a => a.Spec.Image = "ghcr.io/acme/hello:2.0.0");

        await Eventually(async () =>
        {
            var web = await Deployment("hello-web");
            var worker = await Deployment("hello-worker");
            return (await _cluster.GetAsync("hello")).Status?.Release == 2
                && web!.Spec.Template.Spec.Containers[0].Image == "ghcr.io/acme/hello:2.0.0"
                && worker!.Spec.Template.Spec.Containers[0].Image == "ghcr.io/acme/hello:2.0.0";
        }, "both Deployments on the new image and release v2 in status");
        var after = (await Deployment("hello-web"))!;
        ReleaseHash(after).Should().NotBeNullOrEmpty().And.NotBe(ReleaseHash(before));
        ReleaseHash((await Deployment("hello-worker"))!).Should().Be(ReleaseHash(after), "one release, one hash for every process");

        // Children that do not depend on the image are left alone (works on a real cluster too).
        (await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace)).Metadata.ResourceVersion
            .Should().Be(service.Metadata.ResourceVersion);
        (await _cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("hello-router", _cluster.Namespace)).Metadata.ResourceVersion
            .Should().Be(router.Metadata.ResourceVersion);

        if (_cluster.Server is { } server)
        {
            // Besides the test's own edit of the WebApp, the operator only rolled the Deployments,
            // recorded the release, wrote status and events.
            var writes = server.Requests.Entries
                .Where(e => e.Verb is "update" or "patch" && e.StatusCode < 300)
                .Select(e => e.Resource)
                .ToHashSet();
            writes.Should().BeSubsetOf(["webapps", "deployments", "webapps/status", "controllerrevisions", "events"]);
            writes.Should().Contain("deployments");
            server.Requests.Entries.Where(e => e.Verb == "update" && e.Resource == "webapps" && e.StatusCode < 300).Should().ContainSingle("only the test edits the spec");
            server.Requests.Entries.Where(e => e.Verb is "create" && e.StatusCode < 300).Select(e => e.Resource).Distinct()
                .Should().BeSubsetOf(["controllerrevisions", "events"]);
        }
    }

    [Fact]
    public async Task Scaling_through_the_scale_subresource_changes_replicas_and_makes_no_release()
    {
        await CreateHelloAsync();
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Selector is not null, "status.selector for the scale subresource");
        var hash = ReleaseHash(await Deployment("hello-web"));
        using var kubectl = _cluster.Kubectl();

        (await kubectl.RunAsync("scale", "webapp/hello", "--replicas=3")).EnsureSuccess();

        (await _cluster.GetAsync("hello")).Spec.Processes["web"].Replicas.Should().Be(3);
        await Eventually(async () => (await Deployment("hello-web"))!.Spec.Replicas == 3, "web Deployment at 3 replicas");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Processes?["web"].Replicas == 3, "status.processes.web.replicas 3");
        var app = await _cluster.GetAsync("hello");
        app.Status!.Release.Should().Be(1);
        app.Status.Releases.Should().ContainSingle();
        (await _cluster.RevisionsAsync("hello")).Should().ContainSingle();
        ReleaseHash(await Deployment("hello-web")).Should().Be(hash, "scaling is not a release: the pods do not roll");
        (await Deployment("hello-worker"))!.Spec.Replicas.Should().Be(1);
    }

    [Fact]
    public async Task Removing_a_process_deletes_its_deployment()
    {
        await CreateHelloAsync();

        await _cluster.EditAsync("hello", a => a.Spec.Processes.Remove("worker"));

        await Eventually(async () => await Deployment("hello-worker") is null, "the worker Deployment to go");
        (await Deployment("hello-web")).Should().NotBeNull();
    }

    [Fact]
    public async Task A_child_deleted_by_hand_comes_back()
    {
        await CreateHelloAsync();
        var web = (await Deployment("hello-web"))!;
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);

        using var kubectl = _cluster.Kubectl();
        (await kubectl.RunAsync("delete", "service/hello", "deployment/hello-web", "--wait=false")).EnsureSuccess();

        await Eventually(async () =>
        {
            var s = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
            return s.Metadata.Uid != service.Metadata.Uid;
        }, "the Service to be created again");
        await Eventually(async () => await Deployment("hello-web") is { } d && d.Metadata.Uid != web.Metadata.Uid, "the web Deployment to be created again");
        var again = (await Deployment("hello-web"))!;
        again.Spec.Template.Spec.Containers[0].Image.Should().Be(web.Spec.Template.Spec.Containers[0].Image);
        ReleaseHash(again).Should().Be(ReleaseHash(web));
    }

    [Fact]
    public async Task An_owned_field_edited_by_hand_is_repaired_and_foreign_metadata_survives()
    {
        await CreateHelloAsync();
        var image = (await Deployment("hello-web"))!.Spec.Template.Spec.Containers[0].Image;

        for (var attempt = 0; ; attempt++)
        {
            var d = (await Deployment("hello-web"))!;
            d.Spec.Template.Spec.Containers[0].Image = "evil.example.com/miner:1";
            d.Metadata.Annotations ??= new Dictionary<string, string>();
            d.Metadata.Annotations["example.com/owner"] = "team-a";
            d.Metadata.Labels["example.com/cost-center"] = "42"; // labels are owned, merged key by key
            try
            {
                await _cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "hello-web", _cluster.Namespace);
                break;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
            }
        }

        await Eventually(async () => (await Deployment("hello-web"))!.Spec.Template.Spec.Containers[0].Image == image, "the image to be repaired");
        var repaired = (await Deployment("hello-web"))!;
        repaired.Metadata.Annotations.Should().Contain("example.com/owner", "team-a");
        repaired.Metadata.Labels.Should().Contain("example.com/cost-center", "42");
        repaired.Metadata.Labels.Should().Contain("app.kubernetes.io/managed-by", "kuroku");
    }

    [Fact]
    public async Task Deleting_the_webapp_lets_the_garbage_collector_remove_its_children()
    {
        await CreateHelloAsync();

        await _cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(
            WebAppApi.Group, WebAppApi.Version, _cluster.Namespace, WebAppApi.Plural, "hello",
            new V1DeleteOptions { PropagationPolicy = "Background" });

        await Eventually(async () =>
            (await _cluster.Client.AppsV1.ListNamespacedDeploymentAsync(_cluster.Namespace)).Items.Count == 0
            && !(await Exists(() => _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace)))
            && !(await Exists(() => _cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("hello-router", _cluster.Namespace)))
            && (await _cluster.RevisionsAsync("hello")).Count == 0,
            "the Deployments, Service, router ConfigMap and releases to be collected");
    }

    [Fact]
    public async Task An_invalid_spec_that_passes_the_schema_is_reported_and_creates_no_child()
    {
        // The CRD schema accepts any image string; the validator wants a lower-case repository.
        await _cluster.CreateAsync(Hello(a => a.Spec.Image = "Acme/Shop:1"));

        await Eventually(async () => (await Condition(Conditions.Ready)) is { Status: "False", Reason: Conditions.Reasons.InvalidSpec },
            "Ready=False with reason InvalidSpec");
        (await Condition(Conditions.Ready))!.Message.Should().Contain("spec.image");
        await Eventually(async () => (await _cluster.EventsAboutAsync(WebAppApi.Kind, "hello"))
            .Any(e => e.Type == "Warning" && e.Reason == Conditions.Reasons.InvalidSpec), "a Warning event InvalidSpec on the WebApp");
        (await _cluster.Client.AppsV1.ListNamespacedDeploymentAsync(_cluster.Namespace)).Items.Should().BeEmpty();
        (await _cluster.Client.CoreV1.ListNamespacedServiceAsync(_cluster.Namespace)).Items.Should().BeEmpty();
        (await _cluster.Client.CoreV1.ListNamespacedConfigMapAsync(_cluster.Namespace, labelSelector: "app.kubernetes.io/managed-by=kuroku")).Items.Should().BeEmpty();
        (await _cluster.RevisionsAsync("hello")).Should().BeEmpty();
    }

    [Fact]
    public async Task Ready_deployments_make_the_webapp_ready_for_kubectl_wait()
    {
        await CreateHelloAsync();

        await MarkReadyAsync();

        var app = await _cluster.GetAsync("hello");
        app.Status!.ObservedGeneration.Should().Be(app.Metadata.Generation);
        app.Status.ProcessSummary.Should().Be("web 1/1, worker 1/1");
        app.Status.Processes!["web"].ReadyReplicas.Should().Be(1);
        using var kubectl = _cluster.Kubectl();
        var wait = await kubectl.RunAsync("wait", "--for=condition=Ready", "webapp/hello", "--timeout=20s");
        wait.ExitCode.Should().Be(0, wait.StdErr);
    }

    [InProcessFact("counts the operator's writes in the server's request log, after marking the Deployments ready itself (no kubelet runs pods there)")]
    public async Task A_ready_app_in_steady_state_makes_no_writes()
    {
        var server = _cluster.Server!;

        await CreateHelloAsync();
        await MarkReadyAsync();
        // Let the events of the rollout drain before the observation starts.
        await Eventually(async () => (await _cluster.EventsAboutAsync(WebAppApi.Kind, "hello")).Count > 0, "the operator's events");
        server.Requests.Clear();

        // An observation window, not a timing assertion: ResyncPeriod is 2 s, so ~7 s spans at least
        // three resyncs, each reconciling hello again; none of them may write anything.
        await Task.Delay(TimeSpan.FromSeconds(7));

        server.Requests.Writes().Should().Be(0, "a reconcile of an app that matches its children writes nothing; saw {0}",
            string.Join(", ", server.Requests.Entries.Where(e => e.Verb is not ("get" or "list" or "watch")).Select(e => $"{e.Verb} {e.Resource}/{e.Name}")));
        server.Requests.Count("list").Should().Be(0, "resyncs come from the cache, not from the API server");
    }

    [InProcessFact("reads every write the operator made from the server's request log")]
    public async Task The_operator_writes_a_webapps_status_but_never_its_spec()
    {
        var server = _cluster.Server!;
        server.Requests.Clear();

        await CreateHelloAsync();
        await MarkReadyAsync();
        await Eventually(async () => (await Condition("Ready"))?.Status == "True", "Ready=True");

        var webappWrites = server.Requests.Entries
            .Where(e => e.Verb is "update" or "patch" or "create" && e.Resource.StartsWith("webapps", StringComparison.Ordinal))
            .Select(e => $"{e.Verb} {e.Resource}")
            .ToList();
        webappWrites.Should().Contain("update webapps/status");
        webappWrites.Should().OnlyContain(w => w == "create webapps" || w == "update webapps/status",
            "a GitOps sync owns the spec; the operator writes only status (the test itself made the one create)");
    }
}
