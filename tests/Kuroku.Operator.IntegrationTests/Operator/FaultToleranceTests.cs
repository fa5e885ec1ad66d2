using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer;
using k8s;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>
/// The operator against an API server that fails, conflicts, drops watches, forgets history and answers
/// slowly: it still converges. These need the in-process server's fault hooks.
/// </summary>
public sealed class FaultToleranceTests : IAsyncLifetime
{
    private const string NewImage = "ghcr.io/acme/hello:2.0.0";

    private TestCluster _cluster = null!;

    private KubeApiServer Server => _cluster.Server!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        if (!_cluster.IsReal)
        {
            await _cluster.StartOperatorAsync();
        }
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static WebApp Hello()
    {
        var app = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));
        app.Spec.Processes["worker"] = new ProcessSpec { Command = ["celery", "worker"] };
        return app;
    }

    private Task Eventually(Func<Task<bool>> condition, string what) => TestCluster.EventuallyAsync(condition, what);

    private async Task<bool> BothDeploymentsRun(string image)
    {
        var web = await _cluster.DeploymentAsync("hello-web");
        var worker = await _cluster.DeploymentAsync("hello-worker");
        return web?.Spec.Template.Spec.Containers[0].Image == image && worker?.Spec.Template.Spec.Containers[0].Image == image;
    }

    private async Task<WebApp> CreateAndSettleAsync()
    {
        var app = await _cluster.CreateAsync(Hello());
        await Eventually(async () => await BothDeploymentsRun(app.Spec.Image) && (await _cluster.GetAsync("hello")).Status?.Release == 1,
            "both Deployments and release v1");
        return app;
    }

    private int Failed(string verb, string resource, int code) =>
        Server.Requests.Entries.Count(e => e.Verb == verb && e.Resource == resource && e.StatusCode == code);

    [InProcessFact]
    public async Task Server_errors_on_deployment_creates_are_retried_until_they_succeed()
    {
        Server.Faults.FailNext("create", "deployments", count: 4, statusCode: 500);

        var app = await _cluster.CreateAsync(Hello());

        await Eventually(() => BothDeploymentsRun(app.Spec.Image), "both Deployments despite the 500s");
        Failed("create", "deployments", 500).Should().Be(4, "every injected failure was met by a retry");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 1, "release v1 in status");
    }

    [InProcessFact]
    public async Task Conflicts_on_updates_are_retried_from_a_fresh_copy()
    {
        await CreateAndSettleAsync();
        Server.Faults.FailNext("update", "deployments", count: 5, statusCode: 409, reason: "Conflict");
        Server.Faults.FailNext("update", "webapps/status", count: 3, statusCode: 409, reason: "Conflict");

        await _cluster.EditAsync("hello", a => a.Spec.Image = NewImage);

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the new image despite the conflicts");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 2, "release v2 in status despite the conflicts");
        // At least the injected ones: a write from a cache a moment behind meets a real 409 now and then.
        Failed("update", "deployments", 409).Should().BeGreaterThanOrEqualTo(5);
        Failed("update", "webapps/status", 409).Should().BeGreaterThanOrEqualTo(3);
    }

    [InProcessFact]
    public async Task Changes_made_while_the_watches_are_down_are_reconciled_when_they_resume()
    {
        await CreateAndSettleAsync();
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
        var watches = Server.Requests.Count("watch");

        // Every watch ends, and the next ones are held back while the spec changes and a child goes.
        Server.Faults.Delay("watch", "*", TimeSpan.FromMilliseconds(800));
        Server.DropWatches().Should().BePositive();
        await _cluster.EditAsync("hello", a =>
        {
            a.Spec.Image = NewImage;
            a.Spec.Processes["worker"].Replicas = 2;
        });
        using (var kubectl = _cluster.Kubectl())
        {
            (await kubectl.RunAsync("delete", "service/hello", "--wait=false")).EnsureSuccess();
        }

        Server.Faults.Clear();

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the image set while the watches were down");
        await Eventually(async () => (await _cluster.DeploymentAsync("hello-worker"))!.Spec.Replicas == 2, "the worker scaled while the watches were down");
        await Eventually(async () => (await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace)).Metadata.Uid != service.Metadata.Uid,
            "the Service deleted while the watches were down to be created again");
        Server.Requests.Count("watch").Should().BeGreaterThan(watches, "the informers watched again");
    }

    [InProcessFact]
    public async Task A_watch_from_an_expired_resource_version_lists_again_and_converges()
    {
        await CreateAndSettleAsync();
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
        var lists = Server.Requests.Count("list", "webapps");

        Server.Faults.Delay("watch", "*", TimeSpan.FromMilliseconds(800));
        Server.DropWatches().Should().BePositive();
        await _cluster.EditAsync("hello", a => a.Spec.Image = NewImage);
        using (var kubectl = _cluster.Kubectl())
        {
            (await kubectl.RunAsync("delete", "service/hello", "--wait=false")).EnsureSuccess();
        }

        // The history that held those changes is gone: a watch from the informers' last
        // resourceVersion gets 410 Gone, and only a new list shows the changes.
        Server.ExpireResourceVersions();
        Server.Faults.Clear();

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the new image after the relist");
        await Eventually(async () => (await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace)).Metadata.Uid != service.Metadata.Uid,
            "the deleted Service to be created again after the relist");
        Server.Requests.Count("list", "webapps").Should().BeGreaterThan(lists, "the WebApp informer listed again after 410 Gone");
    }

    [InProcessFact]
    public async Task Slow_responses_still_converge_without_duplicate_releases()
    {
        Server.Faults.Delay("create", "*", TimeSpan.FromMilliseconds(150));
        Server.Faults.Delay("update", "*", TimeSpan.FromMilliseconds(150));
        Server.Faults.Delay("watch", "*", TimeSpan.FromMilliseconds(300));

        await CreateAndSettleAsync();
        await _cluster.EditAsync("hello", a => a.Spec.Image = NewImage);

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the new image despite slow answers");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 2, "release v2 in status");
        (await _cluster.RevisionsAsync("hello")).Select(r => r.Revision).Should().Equal(1L, 2L);
        Server.Requests.Entries.Count(e => e.Verb == "create" && e.Resource == "deployments" && e.StatusCode < 300).Should().Be(2);
        (await _cluster.GetAsync("hello")).Status!.Releases!.Select(r => r.Version).Should().Equal(2, 1);
    }
}
