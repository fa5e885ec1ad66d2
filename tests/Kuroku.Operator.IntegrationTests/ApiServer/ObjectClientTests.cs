using Kuroku.Runtime.Client;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// The runtime's write client against the API server: generated names, the scale subresource. (The field
/// manager it is given goes on every write; this server keeps no managedFields to show it.)
/// </summary>
public sealed class ObjectClientTests : ApiServerTest
{
    private static V1Deployment Deployment(V1ObjectMeta metadata) => new()
    {
        Metadata = metadata,
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
            },
        },
    };

    [Fact]
    public async Task A_generated_name_is_the_servers_to_pick()
    {
        var client = new KubernetesObjectClient(Client, fieldManager: "kube-controller-manager");

        var created = await client.CreateAsync(Deployment(new V1ObjectMeta { GenerateName = "web-", NamespaceProperty = "default" }), CancellationToken.None);

        created.Metadata.Name.Should().StartWith("web-").And.NotBe("web-");
        client.FieldManager.Should().Be("kube-controller-manager");
    }

    [Fact]
    public async Task Replicas_are_set_through_the_scale_subresource()
    {
        var client = new KubernetesObjectClient(Client, fieldManager: "horizontal-pod-autoscaler");
        await client.CreateAsync(Deployment(new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }), CancellationToken.None);

        Server.Requests.Clear();

        await client.PatchScaleAsync<V1Deployment>("default", "web", 4, CancellationToken.None);

        Server.Requests.Count("patch", "deployments/scale").Should().Be(1);
        Server.Requests.Writes("deployments").Should().Be(0, "the object itself is not patched");
        (await client.GetAsync<V1Deployment>("default", "web", CancellationToken.None))!.Spec.Replicas.Should().Be(4);
    }
}
