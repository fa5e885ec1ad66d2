using k8s.Models;
using Kuroku.Operator.Reconciliation.Apply;

namespace Kuroku.Operator.UnitTests.Reconciliation.Apply;

public sealed class ChildComparerTests
{
    private static V1Deployment Deployment(string image = "shop:1", int? replicas = 2, params V1EnvVar[] env) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta
        {
            Name = "shop-web",
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "shop" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "kuroku.dev/v1alpha1", Kind = "WebApp", Name = "shop", Uid = "uid-1", BlockOwnerDeletion = true, Controller = true }],
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "shop" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "shop" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image, Env = env.Length == 0 ? null : env }] },
            },
        },
    };

    /// <summary>What a real API server returns: our fields plus its defaults, status and bookkeeping.</summary>
    private static V1Deployment AsServerReturns(V1Deployment d)
    {
        var live = k8s.KubernetesJson.Deserialize<V1Deployment>(k8s.KubernetesJson.Serialize(d));
        live.Metadata.ResourceVersion = "42";
        live.Metadata.Uid = "child-uid";
        live.Metadata.Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = "3" };
        live.Spec.RevisionHistoryLimit = 10;
        live.Spec.Template.Spec.RestartPolicy = "Always";
        live.Spec.Template.Spec.DnsPolicy = "ClusterFirst";
        var c = live.Spec.Template.Spec.Containers[0];
        c.ImagePullPolicy = "IfNotPresent";
        c.TerminationMessagePath = "/dev/termination-log";
        live.Status = new V1DeploymentStatus { Replicas = 2, ReadyReplicas = 2 };
        return live;
    }

    [Fact]
    public void Server_defaults_and_foreign_annotations_do_not_count_as_a_difference()
    {
        var desired = Deployment();
        ChildComparer.Matches(desired, AsServerReturns(desired)).Should().BeTrue();
    }

    [Fact]
    public void A_changed_image_is_a_difference_in_the_pod_template_only()
    {
        var live = AsServerReturns(Deployment("shop:1"));
        ChildComparer.Differences(Deployment("shop:2"), live).Should().Equal("spec.template");
    }

    [Fact]
    public void Merge_writes_owned_fields_and_keeps_status_version_and_foreign_metadata()
    {
        var live = AsServerReturns(Deployment("shop:1"));
        var merged = ChildComparer.Merge(Deployment("shop:2"), live);

        merged.Spec.Template.Spec.Containers[0].Image.Should().Be("shop:2");
        merged.Metadata.ResourceVersion.Should().Be("42");
        merged.Metadata.Annotations.Should().ContainKey("deployment.kubernetes.io/revision");
        merged.Status.ReadyReplicas.Should().Be(2);
        merged.Spec.RevisionHistoryLimit.Should().Be(10, "a field we do not set stays as the server has it");
        ChildComparer.Matches(Deployment("shop:2"), merged).Should().BeTrue();
    }

    [Fact]
    public void Replicas_left_out_belong_to_the_autoscaler_and_are_neither_compared_nor_reset()
    {
        var live = AsServerReturns(Deployment(replicas: 7));
        var desired = Deployment(replicas: null);

        ChildComparer.Matches(desired, live).Should().BeTrue();
        ChildComparer.Merge(Deployment("shop:2", replicas: null), live).Spec.Replicas.Should().Be(7);
    }

    [Fact]
    public void A_removed_env_var_is_a_difference_because_lists_must_match_item_by_item()
    {
        var live = AsServerReturns(Deployment(env: [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "B", Value = "2" }]));
        ChildComparer.Matches(Deployment(env: [new V1EnvVar { Name = "A", Value = "1" }]), live).Should().BeFalse();
    }

    [Fact]
    public void A_missing_controller_reference_is_a_difference_and_merge_adds_it_beside_foreign_ones()
    {
        var live = AsServerReturns(Deployment());
        live.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Other", Name = "x", Uid = "other-uid" }];

        ChildComparer.Differences(Deployment(), live).Should().Contain("metadata.ownerReferences");
        ChildComparer.Merge(Deployment(), live).Metadata.OwnerReferences.Select(r => r.Uid)
            .Should().BeEquivalentTo(["other-uid", "uid-1"]);
    }

    [Fact]
    public void ConfigMap_data_is_compared_exactly_so_a_stale_key_is_removed()
    {
        V1ConfigMap Map(Dictionary<string, string> data) => new()
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "shop-router", NamespaceProperty = "shop" },
            Data = data,
        };
        var live = Map(new() { ["nginx.conf"] = "x", ["maintenance"] = "on" });
        var desired = Map(new() { ["nginx.conf"] = "x" });

        ChildComparer.Differences(desired, live).Should().Equal("data");
        ChildComparer.Merge(desired, live).Data.Keys.Should().Equal("nginx.conf");
    }

    [Fact]
    public void An_ingress_that_drops_tls_has_its_tls_removed()
    {
        V1Ingress Ingress(bool tls) => new()
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop" },
            Spec = new V1IngressSpec
            {
                Rules = [new V1IngressRule { Host = "shop.example.com" }],
                Tls = tls ? [new V1IngressTLS { Hosts = ["shop.example.com"], SecretName = "shop-tls" }] : null,
            },
        };

        ChildComparer.Differences(Ingress(tls: false), Ingress(tls: true)).Should().Equal("spec.tls");
        ChildComparer.Merge(Ingress(tls: false), Ingress(tls: true)).Spec.Tls.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", true)]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", false)]
    [InlineData("""{"l":[{"n":"x"}]}""", """{"l":[{"n":"x","d":1}]}""", true)]
    [InlineData("""{"l":[{"n":"x"}]}""", """{"l":[{"n":"x"},{"n":"y"}]}""", false)]
    [InlineData("""{"a":"1"}""", """{"a":1}""", false)]
    [InlineData("""{"a":{}}""", """{}""", false)]
    public void IsSubset_follows_the_rules_of_owned_field_comparison(string want, string have, bool expected) =>
        ChildComparer.IsSubset(System.Text.Json.Nodes.JsonNode.Parse(want), System.Text.Json.Nodes.JsonNode.Parse(have))
            .Should().Be(expected);
}
