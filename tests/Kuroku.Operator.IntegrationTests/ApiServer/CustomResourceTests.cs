using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>A CRD makes its custom resource served: discovery, schema defaults and pruning, status and scale subresources.</summary>
public sealed class CustomResourceTests : ApiServerTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Fixtures.WidgetCrd));
    }

    private Task<object> CreateWidgetAsync(string body) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonDocument.Parse(body).RootElement, Fixtures.Group, Fixtures.Version, "default", Fixtures.Plural);

    private async Task<JsonElement> GetWidgetAsync(string name, string? subresource = null)
    {
        var obj = subresource switch
        {
            "scale" => await Client.CustomObjects.GetNamespacedCustomObjectScaleAsync(Fixtures.Group, Fixtures.Version, "default", Fixtures.Plural, name),
            _ => await Client.CustomObjects.GetNamespacedCustomObjectAsync(Fixtures.Group, Fixtures.Version, "default", Fixtures.Plural, name),
        };
        return (JsonElement)obj;
    }

    [Fact]
    public async Task The_crd_is_established_and_its_resource_appears_in_discovery()
    {
        var crd = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.dev");
        var resources = await Client.CoreV1.GetAPIResourcesAsync();
        using var http = new HttpClient();
        var list = await http.GetStringAsync(new Uri(Server.BaseUri, "apis/example.dev/v1alpha1"));

        crd.Status.Conditions.Should().Contain(c => c.Type == "Established" && c.Status == "True");
        resources.Resources.Should().Contain(r => r.Name == "configmaps");
        var names = JsonDocument.Parse(list).RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        names.Should().Equal("widgets", "widgets/status", "widgets/scale");
    }

    [Fact]
    public async Task Create_applies_schema_defaults_and_prunes_unknown_fields()
    {
        await CreateWidgetAsync("""{"apiVersion":"example.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"image":"nginx","bogus":true}}""");

        var spec = (await GetWidgetAsync("w")).GetProperty("spec");

        spec.GetProperty("replicas").GetInt32().Should().Be(1);
        spec.GetProperty("size").GetString().Should().Be("small");
        spec.TryGetProperty("bogus", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Status_subresource_changes_only_status_and_does_not_bump_generation()
    {
        await CreateWidgetAsync("""{"apiVersion":"example.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"image":"nginx"},"status":{"replicas":7}}""");

        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"spec":{"image":"evil"},"status":{"replicas":2,"selector":"app=w"}}""", V1Patch.PatchType.MergePatch),
            Fixtures.Group, Fixtures.Version, "default", Fixtures.Plural, "w");
        var w = await GetWidgetAsync("w");

        w.GetProperty("spec").GetProperty("image").GetString().Should().Be("nginx");
        w.GetProperty("status").GetProperty("replicas").GetInt32().Should().Be(2);
        w.GetProperty("metadata").GetProperty("generation").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Scale_subresource_maps_spec_and_status_replicas_and_the_selector()
    {
        await CreateWidgetAsync("""{"apiVersion":"example.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"image":"nginx","replicas":2}}""");
        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"replicas":2,"selector":"app=w"}}""", V1Patch.PatchType.MergePatch), Fixtures.Group, Fixtures.Version, "default", Fixtures.Plural, "w");

        await Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(
            new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), Fixtures.Group, Fixtures.Version, "default", Fixtures.Plural, "w");
        var scale = await GetWidgetAsync("w", "scale");
        var w = await GetWidgetAsync("w");

        scale.GetProperty("kind").GetString().Should().Be("Scale");
        scale.GetProperty("spec").GetProperty("replicas").GetInt32().Should().Be(5);
        scale.GetProperty("status").GetProperty("replicas").GetInt32().Should().Be(2);
        scale.GetProperty("status").GetProperty("selector").GetString().Should().Be("app=w");
        w.GetProperty("spec").GetProperty("replicas").GetInt32().Should().Be(5);
        w.GetProperty("metadata").GetProperty("generation").GetInt64().Should().Be(2);
    }

    [Fact]
    public async Task Deleting_the_crd_stops_serving_its_resource()
    {
        await CreateWidgetAsync("""{"apiVersion":"example.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"image":"nginx"}}""");

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.dev");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => GetWidgetAsync("w"));
        e.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        Server.ListObjects(Fixtures.Group, Fixtures.Plural).Should().BeEmpty();
    }
}
