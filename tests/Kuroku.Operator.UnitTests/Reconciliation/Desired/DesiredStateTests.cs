using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Desired;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Desired;

public sealed class DesiredStateListsEveryChildInAStableOrder
{
    private static IEnumerable<string> KindsAndNames(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        objects.Select(o => $"{o.Kind}/{o.Metadata.Name}");

    [Fact]
    public void Full_app_gives_configmaps_services_deployments_hpas_pdbs_ingress_each_by_name()
    {
        var children = DesiredState.Build(TestApps.Full(), TestApps.Options);

        KindsAndNames(children).Should().Equal(
            "ConfigMap/shop-router",
            "Service/shop",
            "Deployment/shop-web",
            "Deployment/shop-worker",
            "HorizontalPodAutoscaler/shop-web",
            "PodDisruptionBudget/shop-web",
            "Ingress/shop");
    }

    [Fact]
    public void Minimal_app_without_domains_or_default_domain_gets_no_ingress_hpa_or_pdb()
    {
        var children = DesiredState.Build(TestApps.Minimal(), new OperatorOptions());

        KindsAndNames(children).Should().Equal("ConfigMap/hello-router", "Service/hello", "Deployment/hello-web");
    }

    [Fact]
    public void App_without_web_gets_deployments_only()
    {
        var app = TestApps.Full().With(s => s.Processes.Remove("web"));

        var children = DesiredState.Build(app, TestApps.Options with { DefaultDomain = "apps.example.com" });

        KindsAndNames(children).Should().Equal("Deployment/shop-worker");
    }

    [Fact]
    public void Every_child_has_api_version_kind_namespace_labels_and_one_controller_owner_reference()
    {
        var children = DesiredState.Build(TestApps.Full(), TestApps.Options);

        children.Should().AllSatisfy(child =>
        {
            child.ApiVersion.Should().NotBeNullOrEmpty();
            child.Kind.Should().NotBeNullOrEmpty();
            child.Metadata.NamespaceProperty.Should().Be("shop");
            child.Metadata.Labels.Should().Contain(new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = "shop",
                ["app.kubernetes.io/instance"] = "shop",
                ["app.kubernetes.io/managed-by"] = "kuroku",
                ["app.kubernetes.io/part-of"] = "shop",
            });
            // Only workloads carry the image's version: a new image rewrites the Deployments alone.
            if (child is V1Deployment deployment)
            {
                deployment.Metadata.Labels.Should().Contain("app.kubernetes.io/version", "1.4.2");
                deployment.Spec.Template.Metadata.Labels.Should().Contain("app.kubernetes.io/version", "1.4.2");
            }
            else
            {
                child.Metadata.Labels.Should().NotContainKey("app.kubernetes.io/version");
            }

            child.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1OwnerReference
            {
                ApiVersion = "kuroku.dev/v1alpha1",
                Kind = "WebApp",
                Name = "shop",
                Uid = "uid-shop",
                Controller = true,
                BlockOwnerDeletion = true,
            });
        });
    }

    [Theory]
    [InlineData("ConfigMap/shop-router", "router")]
    [InlineData("Service/shop", "web")]
    [InlineData("Deployment/shop-web", "web")]
    [InlineData("Deployment/shop-worker", "worker")]
    [InlineData("HorizontalPodAutoscaler/shop-web", "web")]
    [InlineData("PodDisruptionBudget/shop-web", "web")]
    [InlineData("Ingress/shop", "web")]
    public void Component_label_names_the_process_or_role(string child, string component)
    {
        var found = DesiredState.Build(TestApps.Full(), TestApps.Options).Single(o => $"{o.Kind}/{o.Metadata.Name}" == child);

        found.Metadata.Labels["app.kubernetes.io/component"].Should().Be(component);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        var first = DesiredState.Build(TestApps.Full(), TestApps.Options).Select(o => KubernetesJson.Serialize(o)).ToList();
        var second = DesiredState.Build(TestApps.Full(), TestApps.Options).Select(o => KubernetesJson.Serialize(o)).ToList();

        second.Should().Equal(first);
        string.Join("\n", first).Should().NotContain("creationTimestamp");
    }

    [Fact]
    public void Process_order_in_the_spec_does_not_change_the_output()
    {
        var reversed = TestApps.Full().With(s =>
            s.Processes = s.Processes.Reverse().ToDictionary(p => p.Key, p => p.Value));

        var a = DesiredState.Build(TestApps.Full(), TestApps.Options).Select(o => KubernetesJson.Serialize(o));
        var b = DesiredState.Build(reversed, TestApps.Options).Select(o => KubernetesJson.Serialize(o));

        b.Should().Equal(a);
    }

    [Fact]
    public void Output_shares_no_objects_with_the_input()
    {
        var app = TestApps.Full();
        var before = KubernetesJson.Serialize(app);

        var deployment = DesiredState.Build(app, TestApps.Options).OfType<V1Deployment>().Single(o => o.Metadata.Name == "shop-web");
        var container = deployment.Spec.Template.Spec.Containers[0];
        container.Env.Single(e => e.Name == "DATABASE_URL").ValueFrom.SecretKeyRef.Name = "changed";
        container.EnvFrom[0].SecretRef.Name = "changed";
        deployment.Spec.Template.Spec.ImagePullSecrets[0].Name = "changed";

        KubernetesJson.Serialize(app).Should().Be(before);
    }

    [Fact]
    public void Turning_maintenance_on_changes_only_the_router_configmap()
    {
        var off = DesiredState.Build(TestApps.Full(), TestApps.Options).ToDictionary(o => $"{o.Kind}/{o.Metadata.Name}", o => KubernetesJson.Serialize(o));
        var on = DesiredState.Build(TestApps.Full().With(s => s.Maintenance = true), TestApps.Options)
            .ToDictionary(o => $"{o.Kind}/{o.Metadata.Name}", o => KubernetesJson.Serialize(o));

        on.Keys.Should().Equal(off.Keys);
        on.Where(p => off[p.Key] != p.Value).Select(p => p.Key).Should().Equal("ConfigMap/shop-router");
    }

    [Fact]
    public void A_spec_of_nulls_reads_as_defaults_and_does_not_crash()
    {
        var app = new WebApp
        {
            Metadata = new V1ObjectMeta { Name = "bare" },
            Spec = new WebAppSpec
            {
                Image = "img",
                Processes = new Dictionary<string, ProcessSpec> { ["web"] = null!, ["worker"] = new() },
                Env = null,
                Static = new StaticSpec(),
                Domains = new DomainsSpec { Hosts = null!, Tls = new TlsSpec() },
                HealthCheck = new HealthCheckSpec(),
            },
        };

        var children = DesiredState.Build(app, new OperatorOptions { DefaultDomain = "apps.example.com" });

        KindsAndNames(children).Should().Equal(
            "ConfigMap/bare-router", "Service/bare", "Deployment/bare-web", "Deployment/bare-worker", "Ingress/bare");
        var web = (V1Deployment)children[2];
        web.Spec.Replicas.Should().Be(Defaults.Replicas);
        web.Spec.Template.Spec.InitContainers.Should().BeNull("static without a source directory copies nothing");
        ((V1Ingress)children[4]).Spec.Rules.Select(r => r.Host).Should().Equal("bare.apps.example.com");
    }
}
