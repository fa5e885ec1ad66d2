using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>
/// The operator against an API server that fails, conflicts, drops watches, forgets history and answers
/// slowly: it still converges. Most faults come from the in-process server's hooks; a conflict and a
/// watch outage are produced on a real cluster too (another writer racing the operator; the operator
/// stopped and started again, its watches ending with it).
/// </summary>
public sealed class FaultToleranceTests : IAsyncLifetime
{
    private const string NewImage = "ghcr.io/acme/hello:2.0.0";

    private TestCluster _cluster = null!;

    /// <summary>The in-process server (null on a real cluster).</summary>
    private KubeApiServer? Server => _cluster.Server;

    /// <summary>The in-process server, in the tests that only run there.</summary>
    private KubeApiServer InProcess => _cluster.Server!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.StartOperatorAsync();
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
        InProcess.Requests.Entries.Count(e => e.Verb == verb && e.Resource == resource && e.StatusCode == code);

    [InProcessFact("injects 500 answers to Deployment creates (a fault hook) and counts them in the request log")]
    public async Task Server_errors_on_deployment_creates_are_retried_until_they_succeed()
    {
        InProcess.Faults.FailNext("create", "deployments", count: 4, statusCode: 500);

        var app = await _cluster.CreateAsync(Hello());

        await Eventually(() => BothDeploymentsRun(app.Spec.Image), "both Deployments despite the 500s");
        Failed("create", "deployments", 500).Should().Be(4, "every injected failure was met by a retry");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 1, "release v1 in status");
    }

    /// <summary>Merge-patches an annotation onto the Deployments until cancelled: a writer racing the operator's updates. Returns how many patches landed.</summary>
    private async Task<int> KeepTouchingAsync(IReadOnlyList<string> deployments, CancellationToken cancellationToken)
    {
        var touches = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var name in deployments)
            {
                var body = new V1Deployment { Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { ["example.com/touched"] = $"{touches}" } } };
                var patch = new V1Patch(KubernetesJson.Serialize(body), V1Patch.PatchType.MergePatch);
                try
                {
                    await _cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, _cluster.Namespace, cancellationToken: CancellationToken.None);
                    touches++;
                }
                catch (HttpOperationException)
                {
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return touches;
    }

    [Fact]
    public async Task Conflicts_on_updates_are_retried_from_a_fresh_copy()
    {
        await CreateAndSettleAsync();
        if (_cluster.Server is { } server)
        {
            server.Faults.FailNext("update", "deployments", count: 5, statusCode: 409, reason: "Conflict");
            server.Faults.FailNext("update", "webapps/status", count: 3, statusCode: 409, reason: "Conflict");
        }

        // On any cluster: another writer changes the Deployments all along, so the operator's updates, made
        // from a cache a moment behind, meet real 409s.
        using var stop = new CancellationTokenSource();
        var touching = KeepTouchingAsync(["hello-web", "hello-worker"], stop.Token);

        await _cluster.EditAsync("hello", a => a.Spec.Image = NewImage);

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the new image despite the conflicts");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 2, "release v2 in status despite the conflicts");
        await stop.CancelAsync();
        (await touching).Should().BePositive();
        (await _cluster.DeploymentAsync("hello-web"))!.Metadata.Annotations.Should().ContainKey("example.com/touched", "the operator merged its fields over a fresh copy");
        if (_cluster.Server is not null)
        {
            // At least the injected ones: the racing writer adds real ones.
            Failed("update", "deployments", 409).Should().BeGreaterThanOrEqualTo(5);
            Failed("update", "webapps/status", 409).Should().BeGreaterThanOrEqualTo(3);
        }
    }

    [Fact]
    public async Task Changes_made_while_the_watches_are_down_are_reconciled_when_they_resume()
    {
        await CreateAndSettleAsync();
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
        var watches = Server?.Requests.Count("watch") ?? 0;

        if (Server is { } server)
        {
            // Every watch ends, and the next ones are held back while the spec changes and a child goes.
            server.Faults.Hold("watch", "*");
            server.DropWatches().Should().BePositive();
        }
        else
        {
            // A real API server's watches cannot be ended from outside: the operator goes, its watches with it.
            await _cluster.StopOperatorAsync(_cluster.Operators.Single());
        }

        await _cluster.EditAsync("hello", a =>
        {
            a.Spec.Image = NewImage;
            a.Spec.Processes["worker"].Replicas = 2;
        });
        using (var kubectl = _cluster.Kubectl())
        {
            (await kubectl.RunAsync("delete", "service/hello", "--wait=false")).EnsureSuccess();
        }

        if (Server is { } resumed)
        {
            resumed.Faults.Clear();
        }
        else
        {
            await _cluster.StartOperatorAsync();
        }

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the image set while the watches were down");
        await Eventually(async () => (await _cluster.DeploymentAsync("hello-worker"))!.Spec.Replicas == 2, "the worker scaled while the watches were down");
        await Eventually(async () => (await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace)).Metadata.Uid != service.Metadata.Uid,
            "the Service deleted while the watches were down to be created again");
        if (Server is not null)
        {
            Server.Requests.Count("watch").Should().BeGreaterThan(watches, "the informers watched again");
        }
    }

    [InProcessFact("compacts the server's watch history to force 410 Gone: a real cluster's etcd compaction is out of a test's reach")]
    public async Task A_watch_from_an_expired_resource_version_lists_again_and_converges()
    {
        await CreateAndSettleAsync();
        var service = await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace);
        var lists = InProcess.Requests.Count("list", "webapps");

        // Held, not delayed: a delay let a slow kubectl finish after the informers had watched again, and then
        // the changes came down the new watch with no 410 and no relist.
        InProcess.Faults.Hold("watch", "*");
        InProcess.DropWatches().Should().BePositive();
        await _cluster.EditAsync("hello", a => a.Spec.Image = NewImage);
        using (var kubectl = _cluster.Kubectl())
        {
            (await kubectl.RunAsync("delete", "service/hello", "--wait=false")).EnsureSuccess();
        }

        // The history that held those changes is gone: a watch from the informers' last
        // resourceVersion gets 410 Gone, and only a new list shows the changes.
        InProcess.ExpireResourceVersions();
        InProcess.Faults.Clear();

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the new image after the relist");
        await Eventually(async () => (await _cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", _cluster.Namespace)).Metadata.Uid != service.Metadata.Uid,
            "the deleted Service to be created again after the relist");
        InProcess.Requests.Count("list", "webapps").Should().BeGreaterThan(lists, "the WebApp informer listed again after 410 Gone");
    }

    [InProcessFact("delays the server's answers (a fault hook) and counts the Deployment creates in the request log")]
    public async Task Slow_responses_still_converge_without_duplicate_releases()
    {
        InProcess.Faults.Delay("create", "*", TimeSpan.FromMilliseconds(150));
        InProcess.Faults.Delay("update", "*", TimeSpan.FromMilliseconds(150));
        InProcess.Faults.Delay("watch", "*", TimeSpan.FromMilliseconds(300));

        await CreateAndSettleAsync();
        await _cluster.EditAsync("hello", a => a.Spec.Image = NewImage);

        await Eventually(() => BothDeploymentsRun(NewImage), "both Deployments on the new image despite slow answers");
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 2, "release v2 in status");
        (await _cluster.RevisionsAsync("hello")).Select(r => r.Revision).Should().Equal(1L, 2L);
        InProcess.Requests.Entries.Count(e => e.Verb == "create" && e.Resource == "deployments" && e.StatusCode < 300).Should().Be(2);
        (await _cluster.GetAsync("hello")).Status!.Releases!.Select(r => r.Version).Should().Equal(2, 1);
    }
}
