using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>The hooks tests use to make the server misbehave and to count what clients did.</summary>
public sealed class TestHookTests : IAsyncLifetime
{
    private KubeApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task FailNext_fails_exactly_that_many_matching_requests()
    {
        _server.Faults.FailNext("create", "configmaps", count: 2, statusCode: 503, reason: "ServiceUnavailable");
        var body = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "c-" } };

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await _client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");
                codes.Add(HttpStatusCode.Created);
            }
            catch (HttpOperationException e)
            {
                codes.Add(e.Response.StatusCode);
            }
        }

        await _client.CoreV1.ListNamespacedConfigMapAsync("default");

        codes.Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created);
        _server.ListObjects("", "configmaps").Should().HaveCount(1);
    }

    [Fact]
    public async Task The_request_log_counts_by_verb_and_resource()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");
        await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        _server.Requests.Writes().Should().Be(1);

        _server.Requests.Clear();
        await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");

        _server.Requests.Writes().Should().Be(0);
        _server.Requests.Count("get", "configmaps").Should().Be(1);
        _server.Requests.Entries.Should().ContainSingle().Which.Should().Be(new Testing.ApiServer.Hooks.RequestRecord("get", "configmaps", "default", "c", 200));
    }

    [Fact]
    public async Task Delay_holds_matching_requests()
    {
        _server.Faults.Delay("list", "secrets", TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await _client.CoreV1.ListNamespacedSecretAsync("default");

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }
}
