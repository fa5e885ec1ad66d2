using k8s;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>The real kubectl binary works against the test API server, without --validate=false.</summary>
public sealed class KubectlCompatibilityTests : IAsyncLifetime
{
    private KubeApiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _kubectl = Kubectl.For(_server);
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("crd.yaml", Fixtures.WidgetCrd))).EnsureSuccess();
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Apply_creates_then_reports_unchanged_for_a_crd_a_custom_resource_and_a_deployment()
    {
        var files = new[] { _kubectl.WriteFile("crd.yaml", Fixtures.WidgetCrd), _kubectl.WriteFile("w.yaml", Fixtures.Widget), _kubectl.WriteFile("d.yaml", Fixtures.Deployment) };

        var first = new List<string>();
        foreach (var f in files)
        {
            first.Add((await _kubectl.RunAsync("apply", "-f", f)).EnsureSuccess().StdOut.Trim());
        }

        var writesBefore = _server.Requests.Writes();
        var second = new List<string>();
        foreach (var f in files)
        {
            second.Add((await _kubectl.RunAsync("apply", "-f", f)).EnsureSuccess().StdOut.Trim());
        }

        first.Should().Equal(
            "customresourcedefinition.apiextensions.k8s.io/widgets.example.dev unchanged",
            "widget.example.dev/w1 created",
            "deployment.apps/web created");
        second.Should().Equal(
            "customresourcedefinition.apiextensions.k8s.io/widgets.example.dev unchanged",
            "widget.example.dev/w1 unchanged",
            "deployment.apps/web unchanged");
        _server.Requests.Writes().Should().Be(writesBefore);
        _server.GetObject(Fixtures.Group, Fixtures.Plural, "default", "w1")!["spec"]!["size"]!.GetValue<string>().Should().Be("small", "the schema default applies");
    }

    [Fact]
    public async Task Apply_of_a_changed_deployment_merges_containers_by_name_and_bumps_generation()
    {
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("d.yaml", Fixtures.Deployment))).EnsureSuccess();
        var changed = Fixtures.Deployment.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal).Replace("value: \"1\"", "value: \"2\"", StringComparison.Ordinal);

        var result = (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("d2.yaml", changed))).EnsureSuccess();

        result.StdOut.Trim().Should().Be("deployment.apps/web configured");
        var stored = _server.GetObject("apps", "deployments", "default", "web")!;
        stored["metadata"]!["generation"]!.GetValue<long>().Should().Be(2);
        var containers = stored["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        containers.Should().HaveCount(1);
        containers[0]!["image"]!.GetValue<string>().Should().Be("nginx:1.28");
        containers[0]!["env"]![0]!["value"]!.GetValue<string>().Should().Be("2");
    }

    [Fact]
    public async Task Get_prints_the_crd_printer_columns_including_a_condition_filter()
    {
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("w.yaml", Fixtures.Widget))).EnsureSuccess();
        (await _kubectl.RunAsync("patch", "widget", "w1", "--subresource=status", "--type=merge",
            "-p", """{"status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}]}}""")).EnsureSuccess();

        var result = (await _kubectl.RunAsync("get", "wd")).EnsureSuccess();

        var lines = result.StdOut.Trim().Split('\n');
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("NAME", "REPLICAS", "READY", "AGE");
        lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3].Should().Equal("w1", "1", "True");
        (await _kubectl.RunAsync("get", "examples", "-o", "name")).EnsureSuccess().StdOut.Trim().Should().Be("widget.example.dev/w1");
    }

    [Fact]
    public async Task Scale_changes_replicas_through_the_scale_subresource_of_a_custom_resource_and_a_deployment()
    {
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("w.yaml", Fixtures.Widget))).EnsureSuccess();
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("d.yaml", Fixtures.Deployment))).EnsureSuccess();

        (await _kubectl.RunAsync("scale", "widget/w1", "--replicas=4")).EnsureSuccess();
        (await _kubectl.RunAsync("scale", "deployment/web", "--replicas=5")).EnsureSuccess();

        _server.GetObject(Fixtures.Group, Fixtures.Plural, "default", "w1")!["spec"]!["replicas"]!.GetValue<long>().Should().Be(4);
        _server.GetObject("apps", "deployments", "default", "web")!["spec"]!["replicas"]!.GetValue<long>().Should().Be(5);
        _server.Requests.Count("patch", "widgets/scale").Should().Be(1);
    }

    [Fact]
    public async Task Describe_shows_the_events_of_the_object()
    {
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("w.yaml", Fixtures.Widget))).EnsureSuccess();
        var uid = _server.GetObject(Fixtures.Group, Fixtures.Plural, "default", "w1")!["metadata"]!["uid"]!.GetValue<string>();
        var client = _server.CreateClient();
        await client.CoreV1.CreateNamespacedEventAsync(new k8s.Models.Corev1Event
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "w1.reconciled" },
            InvolvedObject = new k8s.Models.V1ObjectReference { ApiVersion = "example.dev/v1alpha1", Kind = "Widget", Name = "w1", NamespaceProperty = "default", Uid = uid },
            Reason = "Reconciled",
            Message = "everything in place",
            Type = "Normal",
            Count = 1,
            FirstTimestamp = DateTime.UtcNow,
            LastTimestamp = DateTime.UtcNow,
            Source = new k8s.Models.V1EventSource { Component = "kuroku" },
        }, "default");

        var result = (await _kubectl.RunAsync("describe", "widget", "w1")).EnsureSuccess();

        result.StdOut.Should().Contain("Reconciled").And.Contain("everything in place");
    }

    [Fact]
    public async Task Wait_for_condition_returns_once_the_status_says_ready()
    {
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("w.yaml", Fixtures.Widget))).EnsureSuccess();
        var wait = _kubectl.RunAsync("wait", "--for=condition=Ready", "widget/w1", "--timeout=30s");
        while (_server.OpenWatches == 0 && !wait.IsCompleted)
        {
            await Task.Delay(20);
        }

        (await _kubectl.RunAsync("patch", "widget", "w1", "--subresource=status", "--type=merge",
            "-p", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")).EnsureSuccess();

        (await wait).EnsureSuccess().StdOut.Trim().Should().Be("widget.example.dev/w1 condition met");
    }

    [Fact]
    public async Task Delete_removes_the_object_and_get_watch_prints_the_changes()
    {
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("w.yaml", Fixtures.Widget))).EnsureSuccess();
        using var stop = new CancellationTokenSource();
        var watch = _kubectl.RunAsync(["get", "widgets", "-w", "--output-watch-events"], null, stop.Token);
        while (_server.OpenWatches == 0)
        {
            await Task.Delay(20);
        }

        (await _kubectl.RunAsync("delete", "widget", "w1")).EnsureSuccess().StdOut.Trim().Should().Be("widget.example.dev \"w1\" deleted");
        (await _kubectl.RunAsync("get", "widgets", "-o", "name")).EnsureSuccess().StdOut.Trim().Should().BeEmpty();
        (await _kubectl.RunAsync("get", "widget", "w1")).ExitCode.Should().NotBe(0);
        _server.DropWatches();
        var output = (await watch).StdOut;

        output.Should().Contain("ADDED").And.Contain("DELETED");
    }
}
