using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Status;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Status;

public sealed class StatusBuilderTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static WebApp App(params string[] processes) => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop", Generation = 3, Uid = "uid-1" },
        Spec = new WebAppSpec
        {
            Image = "shop:1",
            Processes = processes.ToDictionary(p => p, _ => new ProcessSpec()),
        },
    };

    private static V1Deployment Deployment(int replicas, int ready, int updated, long generation = 1, long observed = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = "x", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed,
            Replicas = updated,
            UpdatedReplicas = updated,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
        },
    };

    private static Observation Seen(Dictionary<string, V1Deployment> deployments) =>
        new([], deployments, [], "app.kubernetes.io/instance=shop");

    private static V1Condition Condition(WebAppStatus s, string type) => s.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void All_processes_rolled_out_make_the_app_ready_with_a_summary_web_first()
    {
        var status = StatusBuilder.Build(App("worker", "web"), new OperatorOptions(),
            Seen(new() { ["web"] = Deployment(2, 2, 2), ["worker"] = Deployment(1, 1, 1) }), T0);

        status.ObservedGeneration.Should().Be(3);
        status.ProcessSummary.Should().Be("web 2/2, worker 1/1");
        Condition(status, "Ready").Should().BeEquivalentTo(new { Status = "True", Reason = "AllProcessesReady", ObservedGeneration = 3L });
        Condition(status, "Progressing").Status.Should().Be("False");
        Condition(status, "Degraded").Status.Should().Be("False");
        status.Selector.Should().Be("app.kubernetes.io/instance=shop");
    }

    [Theory]
    [InlineData(2, 1, 2, 1, 1)] // one pod not ready
    [InlineData(2, 2, 1, 1, 1)] // one pod still on the old template
    [InlineData(2, 2, 2, 2, 1)] // the deployment controller has not seen the new spec yet
    public void A_process_still_rolling_out_keeps_the_app_not_ready_and_progressing(
        int replicas, int ready, int updated, long generation, long observed)
    {
        var status = StatusBuilder.Build(App("web"), new OperatorOptions(),
            Seen(new() { ["web"] = Deployment(replicas, ready, updated, generation, observed) }), T0);

        Condition(status, "Ready").Should().BeEquivalentTo(new { Status = "False", Reason = "ProcessesNotReady" });
        Condition(status, "Progressing").Should().BeEquivalentTo(new { Status = "True", Reason = "RollingOut" });
    }

    [Fact]
    public void A_missing_deployment_counts_as_not_ready()
    {
        var status = StatusBuilder.Build(App("web", "worker"), new OperatorOptions(),
            Seen(new() { ["web"] = Deployment(1, 1, 1) }), T0);

        Condition(status, "Ready").Message.Should().Contain("worker");
        status.ProcessSummary.Should().Be("web 1/1, worker 0/0");
    }

    [Fact]
    public void Scaled_to_zero_is_ready()
    {
        var status = StatusBuilder.Build(App("worker"), new OperatorOptions(),
            Seen(new() { ["worker"] = Deployment(0, 0, 0) }), T0);
        Condition(status, "Ready").Status.Should().Be("True");
    }

    [Fact]
    public void Progress_deadline_exceeded_makes_the_app_degraded()
    {
        var stuck = Deployment(2, 1, 2);
        stuck.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }];
        var status = StatusBuilder.Build(App("web"), new OperatorOptions(), Seen(new() { ["web"] = stuck }), T0);

        Condition(status, "Degraded").Should().BeEquivalentTo(new { Status = "True", Reason = "ProgressDeadlineExceeded" });
    }

    [Fact]
    public void An_invalid_spec_gives_ready_false_invalid_spec_and_keeps_the_last_process_picture()
    {
        var app = App("web");
        app.Status = new WebAppStatus { ProcessSummary = "web 1/1", Url = "http://old" };
        var status = StatusBuilder.Build(app, new OperatorOptions(),
            new Observation(["spec.image: image is required"], new Dictionary<string, V1Deployment>(), [], null), T0);

        Condition(status, "Ready").Should().BeEquivalentTo(new { Status = "False", Reason = "InvalidSpec", Message = "spec.image: image is required" });
        Condition(status, "Degraded").Status.Should().Be("True");
        status.ProcessSummary.Should().Be("web 1/1");
        status.ObservedGeneration.Should().Be(3);
    }

    [Fact]
    public void A_child_owned_by_someone_else_is_reported_as_a_conflict()
    {
        var status = StatusBuilder.Build(App("web"), new OperatorOptions(),
            new Observation([], new Dictionary<string, V1Deployment>(), ["Service shop exists and is not controlled by this WebApp"], null), T0);

        Condition(status, "Ready").Reason.Should().Be("ChildConflict");
        Condition(status, "Degraded").Message.Should().Contain("Service shop");
    }

    [Fact]
    public void Transition_time_moves_only_when_the_condition_status_flips()
    {
        var app = App("web");
        var first = StatusBuilder.Build(app, new OperatorOptions(), Seen(new() { ["web"] = Deployment(1, 0, 1) }), T0);
        app.Status = first;

        var later = T0.AddMinutes(5);
        var stillRolling = StatusBuilder.Build(app, new OperatorOptions(), Seen(new() { ["web"] = Deployment(1, 0, 1) }), later);
        Condition(stillRolling, "Ready").LastTransitionTime.Should().Be(T0);

        var ready = StatusBuilder.Build(app, new OperatorOptions(), Seen(new() { ["web"] = Deployment(1, 1, 1) }), later);
        Condition(ready, "Ready").LastTransitionTime.Should().Be(later);
    }

    [Theory]
    [InlineData(new[] { "shop.example.com" }, true, null, "https://shop.example.com")]
    [InlineData(new[] { "shop.example.com", "www.shop.example.com" }, false, null, "http://shop.example.com")]
    [InlineData(new string[0], false, "apps.example.net", "http://shop-team.apps.example.net")]
    [InlineData(new string[0], false, null, "http://shop.team.svc")]
    public void Url_prefers_the_first_host_then_the_default_domain_then_the_service(
        string[] hosts, bool tls, string? defaultDomain, string expected)
    {
        var app = App("web");
        app.Metadata.NamespaceProperty = "team";
        if (hosts.Length > 0)
        {
            app.Spec.Domains = new DomainsSpec { Hosts = hosts, Tls = tls ? new TlsSpec { SecretName = "t" } : null };
        }

        StatusBuilder.Url(app, new OperatorOptions { DefaultDomain = defaultDomain }).Should().Be(expected);
    }

    [Fact]
    public void An_app_without_web_has_no_url() =>
        StatusBuilder.Url(App("worker"), new OperatorOptions()).Should().BeNull();
}
