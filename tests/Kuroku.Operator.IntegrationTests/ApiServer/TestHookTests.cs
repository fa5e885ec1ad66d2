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
    public async Task The_request_log_records_group_subresource_and_user_agent_so_one_clients_writes_can_be_counted()
    {
        var deployment = await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        }, "default");
        deployment.Status = new V1DeploymentStatus { Replicas = 1 };
        await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, "web", "default");
        using var benchmark = new HttpClient();
        benchmark.DefaultRequestHeaders.UserAgent.ParseAdd("kuroku-benchmark/1.0");
        using var body = new StringContent("""{"metadata":{"name":"from-benchmark"}}""", System.Text.Encoding.UTF8, "application/json");
        (await benchmark.PostAsync(new Uri(Server.BaseUri, "api/v1/namespaces/default/configmaps"), body)).EnsureSuccessStatusCode();

        var status = Server.Requests.Entries.Single(e => e.Verb == "update");
        status.Should().BeEquivalentTo(new { Resource = "deployments/status", Group = "apps", Subresource = "status", Namespace = "default", Name = "web", StatusCode = 200 });
        status.UserAgent.Should().NotContain("kuroku-benchmark");
        Server.Requests.WritesBy("kuroku-benchmark").Should().Be(1);
        Server.Requests.Entries.Single(e => e.UserAgent.Contains("kuroku-benchmark", StringComparison.Ordinal))
            .Should().BeEquivalentTo(new { Verb = "create", Resource = "configmaps", Group = "", Subresource = (string?)null, StatusCode = 201 });
    }

    [Fact]
    public async Task Delay_holds_matching_requests()
    {
        Server.Faults.Delay("list", "secrets", TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Client.CoreV1.ListNamespacedSecretAsync("default");

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Hold_keeps_matching_requests_waiting_until_cleared_and_lets_others_through()
    {
        Server.Faults.Hold("list", "secrets");

        var held = Client.CoreV1.ListNamespacedSecretAsync("default");
        await Client.CoreV1.ListNamespacedConfigMapAsync("default");
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "made-while-held" } }, "default");
        await Task.Delay(200);
        held.IsCompleted.Should().BeFalse("a held list waits for Clear, however long");

        Server.Faults.Clear();

        (await held.WaitAsync(TimeSpan.FromSeconds(10))).Items.Select(s => s.Metadata.Name).Should().Contain("made-while-held",
            "a held request is served when released, as if it had just arrived");
    }
}
