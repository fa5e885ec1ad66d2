using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Chart;

public sealed class ChartDeploymentTests
{
    public static TheoryData<int> Helms => [.. HelmChart.HelmVersions];

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_operator_meets_the_restricted_Pod_Security_Standard_on_a_read_only_root(int helm)
    {
        var objects = await HelmChart.RenderObjectsAsync(helm, ChartScenario.All["defaults"]);
        var pod = objects.Single<V1Deployment>().Spec.Template.Spec;
        var container = pod.Containers.Should().ContainSingle().Subject;

        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        container.SecurityContext.Capabilities.Add.Should().BeNullOrEmpty();
        container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        container.SecurityContext.Privileged.Should().NotBe(true);
        pod.HostNetwork.Should().NotBe(true);
        var tmp = container.VolumeMounts.Single(m => m.MountPath == "/tmp");
        pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir.Should().NotBeNull("/tmp is the only writable place");
        container.Resources.Requests.Should().ContainKeys("cpu", "memory");
        container.Resources.Limits.Should().ContainKey("memory");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Two_replicas_elect_a_leader_and_know_their_pod_through_the_downward_API(int helm)
    {
        var objects = await HelmChart.RenderObjectsAsync(helm, ChartScenario.All["defaults"]);
        var deployment = objects.Single<V1Deployment>();
        var env = deployment.Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name);

        deployment.Spec.Replicas.Should().Be(2);
        deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value.Should().Be("0");
        env["KUROKU_LEADER_ELECTION"].Value.Should().Be("true");
        env["KUROKU_LEADER_ELECTION_NAMESPACE"].Value.Should().Be(HelmChart.ReleaseNamespace);
        env["KUROKU_WATCH_NAMESPACE"].Value.Should().BeEmpty("empty means every namespace");
        env["POD_NAME"].ValueFrom.FieldRef.FieldPath.Should().Be("metadata.name");
        env["POD_NAMESPACE"].ValueFrom.FieldRef.FieldPath.Should().Be("metadata.namespace");
        objects.Single<V1PodDisruptionBudget>().Spec.MaxUnavailable.Value.Should().Be("1");
    }

    [Fact]
    public async Task The_watched_namespace_reaches_the_operator_and_scopes_the_webhook()
    {
        var objects = await HelmChart.RenderObjectsAsync(4, ChartScenario.All["watchNamespace"]);

        var env = objects.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Env;
        env.Single(e => e.Name == "KUROKU_WATCH_NAMESPACE").Value.Should().Be("shop");
        objects.Single<V1ValidatingWebhookConfiguration>().Webhooks[0].NamespaceSelector.MatchLabels
            .Should().Contain("kubernetes.io/metadata.name", "shop");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Probes_and_metrics_use_the_operators_HTTP_port(int helm)
    {
        var objects = await HelmChart.RenderObjectsAsync(helm, ChartScenario.All["serviceMonitor"]);
        var container = objects.Single<V1Deployment>().Spec.Template.Spec.Containers[0];
        var http = container.Ports.Single(p => p.ContainerPort == 8080);
        var metrics = objects.Single<V1Service>().Spec.Ports.Single(p => p.Name == "metrics");
        var monitor = objects.OfType<Dictionary<object, object>>().Single();

        container.LivenessProbe.HttpGet.Path.Should().Be("/healthz");
        container.LivenessProbe.HttpGet.Port.Value.Should().Be(http.Name);
        container.ReadinessProbe.HttpGet.Path.Should().Be("/readyz");
        container.ReadinessProbe.HttpGet.Port.Value.Should().Be(http.Name);
        metrics.TargetPort.Value.Should().Be(http.Name);
        var endpoint = (Dictionary<object, object>)((List<object>)((Dictionary<object, object>)monitor["spec"])["endpoints"])[0];
        endpoint["port"].Should().Be("metrics");
        endpoint["path"].Should().Be("/metrics");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_webhook_configuration_reaches_the_operators_webhook_port(int helm)
    {
        var objects = await HelmChart.RenderObjectsAsync(helm, ChartScenario.All["defaults"]);
        var webhook = objects.Single<V1ValidatingWebhookConfiguration>().Webhooks.Should().ContainSingle().Subject;
        var service = objects.Single<V1Service>();
        var container = objects.Single<V1Deployment>().Spec.Template.Spec.Containers[0];

        webhook.ClientConfig.Service.Name.Should().Be(service.Name());
        webhook.ClientConfig.Service.NamespaceProperty.Should().Be(HelmChart.ReleaseNamespace);
        webhook.ClientConfig.Service.Path.Should().Be("/validate-kuroku-dev-v1alpha1-webapp");
        var servicePort = service.Spec.Ports.Single(p => p.Port == webhook.ClientConfig.Service.Port);
        servicePort.Port.Should().Be(443);
        container.Ports.Single(p => p.Name == servicePort.TargetPort.Value).ContainerPort.Should().Be(9443);
        webhook.AdmissionReviewVersions.Should().Equal("v1");
        webhook.SideEffects.Should().Be("None");
        webhook.FailurePolicy.Should().Be("Fail");
        webhook.Rules.Should().ContainSingle().Which.Resources.Should().Equal("webapps");
        webhook.Rules[0].Operations.Should().BeEquivalentTo("CREATE", "UPDATE");
        webhook.Rules[0].ApiGroups.Should().Equal("kuroku.dev");
        webhook.Rules[0].ApiVersions.Should().Equal("v1alpha1");
        var certs = container.VolumeMounts.Single(m => m.MountPath == "/tmp/k8s-webhook-server/serving-certs");
        certs.ReadOnlyProperty.Should().BeTrue();
    }

    [Fact]
    public async Task Cert_manager_issues_the_Secret_the_operator_mounts_and_injects_its_CA()
    {
        var objects = await HelmChart.RenderObjectsAsync(4, ChartScenario.All["certManager"]);
        var custom = objects.OfType<Dictionary<object, object>>().ToDictionary(o => (string)o["kind"]);
        var certificate = custom["Certificate"];
        var certificateName = (string)((Dictionary<object, object>)certificate["metadata"])["name"];
        var certificateSpec = (Dictionary<object, object>)certificate["spec"];
        var service = objects.Single<V1Service>();
        var volume = objects.Single<V1Deployment>().Spec.Template.Spec.Volumes.Single(v => v.Secret is not null);

        objects.Single<V1ValidatingWebhookConfiguration>().Annotations()["cert-manager.io/inject-ca-from"]
            .Should().Be($"{HelmChart.ReleaseNamespace}/{certificateName}");
        certificateSpec["secretName"].Should().Be(volume.Secret.SecretName);
        volume.Secret.Optional.Should().NotBe(true, "the pod waits for cert-manager's certificate");
        ((List<object>)certificateSpec["dnsNames"]).Should().Contain($"{service.Name()}.{HelmChart.ReleaseNamespace}.svc");
        objects.OfType<V1Secret>().Should().BeEmpty("cert-manager owns the Secret");
    }

    [Fact]
    public async Task The_image_tag_defaults_to_the_charts_appVersion()
    {
        var chart = await File.ReadAllTextAsync(Path.Combine(HelmChart.ChartDirectory, "Chart.yaml"));
        var appVersion = chart.Split('\n').Single(l => l.StartsWith("appVersion:", StringComparison.Ordinal))["appVersion:".Length..].Trim().Trim('"');
        var objects = await HelmChart.RenderObjectsAsync(3, ChartScenario.All["defaults"]);

        objects.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Image
            .Should().Be($"ghcr.io/kuroku-dev/kuroku-operator:{appVersion}");
    }
}
