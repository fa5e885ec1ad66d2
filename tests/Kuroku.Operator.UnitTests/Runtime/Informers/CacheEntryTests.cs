using System.Text.Json.Nodes;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Informers;

public sealed class CacheEntryTests
{
    private static V1Deployment Deployment(int containers) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "shop-web", NamespaceProperty = "shop", ResourceVersion = "42", Labels = new Dictionary<string, string> { ["app"] = "shop" } },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "shop" } },
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers = [.. Enumerable.Range(0, containers).Select(i => new V1Container
                    {
                        Name = $"c{i}",
                        Image = "registry.example.com/shop:1.0.0",
                        Env = [new V1EnvVar { Name = "PORT", Value = "8080" }, new V1EnvVar { Name = "WEB_CONCURRENCY", Value = "2" }],
                        SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, RunAsNonRoot = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                    })],
                },
            },
        },
    };

    private static CacheEntry Entry(V1Deployment deployment) =>
        new ObjectStore().Entry(JsonNode.Parse(KubernetesJson.Serialize(deployment))!.AsObject());

    [Fact]
    public void A_large_object_is_held_compressed_and_reads_back_exactly()
    {
        var deployment = Deployment(containers: 8);
        var json = KubernetesJson.Serialize(deployment);

        var entry = Entry(deployment);

        json.Length.Should().BeGreaterThan(CacheEntry.CompressAbove);
        entry.StoredBytes.Should().BeLessThan(json.Length / 3, "JSON of a few KB compresses well");
        KubernetesJson.Serialize(entry.Read<V1Deployment>()).Should().Be(json);
        entry.Read(System.Text.Encoding.UTF8.GetString).Should().Be(JsonNode.Parse(json)!.ToJsonString());
    }

    [Fact]
    public void A_small_object_is_held_as_it_is()
    {
        var small = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "b" } };

        var entry = new ObjectStore().Entry(JsonNode.Parse(KubernetesJson.Serialize(small))!.AsObject());

        entry.StoredBytes.Should().Be(entry.Json.Length);
        entry.Read<V1ConfigMap>().Metadata.Name.Should().Be("a");
    }
}
