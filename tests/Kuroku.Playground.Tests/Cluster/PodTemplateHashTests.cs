using k8s.Models;
using Kuroku.Playground.Cluster.Workloads;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class PodTemplateHashTests
{
    [Fact]
    public void The_same_template_gets_the_same_hash_whatever_the_order_of_its_labels()
    {
        var a = Objects.Deployment().Spec.Template;
        var b = Objects.Deployment().Spec.Template;
        a.Metadata.Labels = new Dictionary<string, string> { ["x"] = "1", ["app"] = "hello" };
        b.Metadata.Labels = new Dictionary<string, string> { ["app"] = "hello", ["x"] = "1" };

        PodTemplateHash.Of(a).Should().Be(PodTemplateHash.Of(b));
    }

    [Fact]
    public void A_changed_template_gets_another_hash_and_the_hash_label_itself_is_not_hashed()
    {
        var template = Objects.Deployment().Spec.Template;
        var hash = PodTemplateHash.Of(template);

        PodTemplateHash.Of(Objects.Deployment(image: "ghcr.io/acme/hello:2.0.0").Spec.Template).Should().NotBe(hash);
        template.Metadata.Labels[PodTemplateHash.Label] = hash;
        PodTemplateHash.Of(template).Should().Be(hash);
    }

    [Fact]
    public void The_hash_is_written_with_the_alphabet_of_kubernetes_safe_encoding()
    {
        var hash = PodTemplateHash.Of(new V1PodTemplateSpec());

        hash.Should().MatchRegex("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$");
    }
}
