using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>The hooks tests use to make the server misbehave and to count what clients did.</summary>
public sealed class TestHookTests : ApiServerTest
{
    [Fact]
    public async Task FailNext_fails_exactly_that_many_matching_requests()
    {
        Server.Faults.FailNext("create", "configmaps", count: 2, statusCode: 503, reason: "ServiceUnavailable");
        var body = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "c-" } };

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");
                codes.Add(HttpStatusCode.Created);
            }
            catch (HttpOperationException e)
            {
                codes.Add(e.Response.StatusCode);
            }
        }

        await Client.CoreV1.ListNamespacedConfigMapAsync("default");

        codes.Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created);
        Server.ListObjects("", "configmaps").Should().HaveCount(1);
    }

    [Fact]
    public async Task The_request_log_counts_by_verb_and_resource()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");
        await Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        await Client.CoreV1.ListNamespacedConfigMapAsync("default");
        Server.Requests.Writes().Should().Be(1);

        Server.Requests.Clear();
        await Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");

        Server.Requests.Writes().Should().Be(0);
        Server.Requests.Count("get", "configmaps").Should().Be(1);
        var entry = Server.Requests.Entries.Should().ContainSingle().Subject;
        entry.Should().Be(new Testing.ApiServer.Hooks.RequestRecord("get", "configmaps", "default", "c", 200) { UserAgent = entry.UserAgent });
        entry.UserAgent.Should().NotBeEmpty("KubernetesClient sends one");
    }

    [Fact]
    public async Task Delay_holds_matching_requests()
    {
        Server.Faults.Delay("list", "secrets", TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Client.CoreV1.ListNamespacedSecretAsync("default");

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }
}
