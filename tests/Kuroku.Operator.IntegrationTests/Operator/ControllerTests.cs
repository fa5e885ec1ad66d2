using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuroku.Operator.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;

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
}
