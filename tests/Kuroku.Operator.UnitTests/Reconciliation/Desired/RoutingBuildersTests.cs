using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Desired;

namespace Kuroku.Operator.UnitTests.Reconciliation.Desired;

public sealed class ServiceSendsPort80ToTheRouter
{
    [Fact]
    public void Service_is_named_after_the_app_and_targets_the_router_port_by_name()
    {
        var service = ServiceBuilder.Build(TestApps.Full())!;

        service.Metadata.Name.Should().Be("shop");
        service.Spec.Selector.Should().BeEquivalentTo(ChildLabels.Selector(TestApps.Full(), "web"));
        var port = service.Spec.Ports.Should().ContainSingle().Subject;
        (port.Name, port.Port, (string)port.TargetPort).Should().Be(("http", 80, "http"));
        var router = DeploymentBuilder.Build(TestApps.Full(), "web", TestApps.Full().Web(), TestApps.Options)
            .Spec.Template.Spec.Containers.Single(c => c.Name == "router");
        router.Ports.Select(p => p.Name).Should().Equal((string)port.TargetPort);
    }
}

public sealed class IngressRoutesHostsToTheService
{
    public static TheoryData<string, string[]?, string?, string[]?> HostCases => new()
    {
        // case, spec hosts, default domain, expected hosts (null: no Ingress)
        { "hosts only", ["shop.example.com", "www.shop.example.com"], null, ["shop.example.com", "www.shop.example.com"] },
        { "default domain only", null, "apps.example.com", ["shop-shop.apps.example.com"] },
        { "both", ["shop.example.com"], "apps.example.com.", ["shop.example.com", "shop-shop.apps.example.com"] },
        { "duplicates collapse", ["shop.example.com", "shop.example.com"], null, ["shop.example.com"] },
        { "neither", null, null, null },
        { "empty default domain", null, " ", null },
    };

    [Theory]
    [MemberData(nameof(HostCases))]
    public void Hosts_are_the_specs_then_the_default_host(string name, string[]? hosts, string? defaultDomain, string[]? expected)
    {
        var app = TestApps.Full().With(s => s.Domains = hosts is null ? null : new DomainsSpec { Hosts = hosts });

        var ingress = IngressBuilder.Build(app, new OperatorOptions { DefaultDomain = defaultDomain });

        if (expected is null)
        {
            ingress.Should().BeNull(name);
            return;
        }

        ingress!.Metadata.Name.Should().Be("shop");
        ingress.Spec.Rules.Select(r => r.Host).Should().Equal(expected, name);
        ingress.Spec.Rules.Should().AllSatisfy(rule =>
        {
            var path = rule.Http.Paths.Should().ContainSingle().Subject;
            (path.Path, path.PathType).Should().Be(("/", "Prefix"));
            path.Backend.Service.Name.Should().Be("shop");
            path.Backend.Service.Port.Name.Should().Be("http");
        });
    }

    [Fact]
    public void Cluster_issuer_adds_the_cert_manager_annotation_and_a_tls_secret_for_the_apps_hosts()
    {
        var ingress = IngressBuilder.Build(TestApps.Full(), new OperatorOptions { DefaultDomain = "apps.example.com" })!;

        ingress.Metadata.Annotations.Should().Equal(new Dictionary<string, string> { ["cert-manager.io/cluster-issuer"] = "letsencrypt-prod" });
        ingress.Spec.IngressClassName.Should().Be("nginx");
        var tls = ingress.Spec.Tls.Should().ContainSingle().Subject;
        tls.SecretName.Should().Be("shop-tls");
        tls.Hosts.Should().Equal(["shop.example.com"], "the default host is left to the controller's default certificate");
    }

    [Fact]
    public void Secret_name_uses_that_secret_without_annotation()
    {
        var app = TestApps.Full().With(s => s.Domains!.Tls = new TlsSpec { SecretName = "my-cert" });

        var ingress = IngressBuilder.Build(app, new OperatorOptions())!;

        ingress.Metadata.Annotations.Should().BeNull();
        ingress.Spec.Tls.Should().ContainSingle().Which.SecretName.Should().Be("my-cert");
    }

    [Fact]
    public void Without_tls_or_class_the_ingress_has_neither()
    {
        var app = TestApps.Full().With(s => s.Domains = new DomainsSpec { Hosts = ["shop.example.com"] });

        var ingress = IngressBuilder.Build(app, new OperatorOptions())!;

        ingress.Spec.Tls.Should().BeNull();
        ingress.Spec.IngressClassName.Should().BeNull();
        ingress.Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public void Tls_for_the_default_host_alone_is_left_to_the_controller()
    {
        var app = TestApps.Full().With(s => s.Domains = new DomainsSpec { Hosts = [], Tls = new TlsSpec { SecretName = "x" } });

        var ingress = IngressBuilder.Build(app, new OperatorOptions { DefaultDomain = "apps.example.com" })!;

        ingress.Spec.Tls.Should().BeNull();
    }
}

public sealed class AutoscalersAndDisruptionBudgets
{
    [Theory]
    [InlineData(2, 10, 70, 2, 10, 70)]
    [InlineData(null, 4, null, 1, 4, 80)]
    public void Hpa_targets_the_processs_deployment_on_cpu(int? min, int max, int? target, int expectedMin, int expectedMax, int expectedTarget)
    {
        var app = TestApps.Full().With(s => s.Processes["worker"].Autoscaling =
            new AutoscalingSpec { MinReplicas = min, MaxReplicas = max, TargetCPUUtilizationPercentage = target });

        var hpa = HorizontalPodAutoscalerBuilder.Build(app, "worker", app.Spec.Processes["worker"])!;

        hpa.ApiVersion.Should().Be("autoscaling/v2");
        hpa.Metadata.Name.Should().Be("shop-worker");
        (hpa.Spec.ScaleTargetRef.ApiVersion, hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name)
            .Should().Be(("apps/v1", "Deployment", "shop-worker"));
        (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas).Should().Be((expectedMin, expectedMax));
        var metric = hpa.Spec.Metrics.Should().ContainSingle().Subject;
        (metric.Type, metric.Resource.Name, metric.Resource.Target.Type, metric.Resource.Target.AverageUtilization)
            .Should().Be(("Resource", "cpu", "Utilization", expectedTarget));
    }

    [Fact]
    public void No_hpa_without_autoscaling()
    {
        var app = TestApps.Full();

        HorizontalPodAutoscalerBuilder.Build(app, "worker", app.Spec.Processes["worker"]).Should().BeNull();
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(1, null, false)]
    [InlineData(0, null, false)]
    [InlineData(2, null, true)]
    [InlineData(1, 1, false)]
    [InlineData(1, 3, true)]
    public void Pdb_exists_when_web_can_run_more_than_one_pod(int? replicas, int? maxReplicas, bool expected)
    {
        var app = TestApps.Minimal().With(s =>
        {
            s.Processes["web"].Replicas = replicas;
            s.Processes["web"].Autoscaling = maxReplicas is { } max ? new AutoscalingSpec { MaxReplicas = max } : null;
        });

        var pdb = PodDisruptionBudgetBuilder.Build(app);

        if (!expected)
        {
            pdb.Should().BeNull();
            return;
        }

        pdb!.ApiVersion.Should().Be("policy/v1");
        pdb.Metadata.Name.Should().Be("hello-web");
        ((string)pdb.Spec.MaxUnavailable).Should().Be("1");
        pdb.Spec.MinAvailable.Should().BeNull();
        pdb.Spec.Selector.MatchLabels.Should().BeEquivalentTo(ChildLabels.Selector(app, "web"));
    }
}

public sealed class DefaultHostTests
{
    [Fact]
    public void A_default_host_whose_first_label_would_pass_63_characters_is_shortened_with_a_hash()
    {
        var app = TestApps.Full();
        app.Metadata.Name = new string('a', 40);
        app.Metadata.NamespaceProperty = "team-" + new string('n', 50);
        var options = new Kuroku.Operator.Configuration.OperatorOptions { DefaultDomain = "apps.example.com" };

        var host = IngressBuilder.DefaultHost(app, options)!;
        var label = host.Split('.')[0];

        label.Length.Should().BeLessThanOrEqualTo(63);
        label.Should().StartWith(new string('a', 40) + "-team-");
        host.Should().EndWith(".apps.example.com");
        IngressBuilder.DefaultHost(app, options).Should().Be(host, "the same app always gets the same host");
        app.Metadata.NamespaceProperty += "x";
        IngressBuilder.DefaultHost(app, options).Should().NotBe(host, "another namespace gets another host");
    }
}
