using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>Create, read, update, patch and delete through KubernetesClient, with the metadata semantics of a real server.</summary>
public sealed class ObjectLifecycleTests : ApiServerTest
{
    private static V1Deployment Deployment(string name, int replicas = 1, string image = "nginx:1.27") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
            },
        },
    };

    private static async Task<HttpStatusCode> StatusOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        return e.Response.StatusCode;
    }

    [Fact]
    public async Task Create_setsServer_metadata_and_a_second_create_is_409_already_exists()
    {
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default");

        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.Generation.Should().Be(1);
        created.Metadata.CreationTimestamp.Should().NotBeNull();
        long.Parse(created.Metadata.ResourceVersion).Should().Be(Server.ResourceVersion);
        (await StatusOf(() => Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default"))).Should().Be(HttpStatusCode.Conflict);
        (await StatusOf(() => Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "missing"))).Should().Be(HttpStatusCode.NotFound);
        (await StatusOf(() => Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("Not_Valid"), "default"))).Should().Be((HttpStatusCode)422);
    }

    [Fact]
    public async Task GenerateName_gets_a_unique_suffix()
    {
        var body = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cfg-" } };

        var a = await Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");
        var b = await Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");

        a.Metadata.Name.Should().StartWith("cfg-").And.HaveLength(9);
        b.Metadata.Name.Should().NotBe(a.Metadata.Name);
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_conflict()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        created.Data["a"] = "2";
        var updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default");

        created.Data["a"] = "3";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default"));

        e.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        e.Response.Content.Should().Contain("\"reason\":\"Conflict\"").And.Contain("the object has been modified");
        (await Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default")).Data["a"].Should().Be("2");
        long.Parse(updated.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Generation_is_bumped_by_spec_changes_only()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default");

        var labelled = await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var withStatus = await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"readyReplicas":1,"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var scaled = await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", "default");

        labelled.Metadata.Generation.Should().Be(1);
        withStatus.Metadata.Generation.Should().Be(1);
        withStatus.Status.ReadyReplicas.Should().Be(1);
        scaled.Metadata.Generation.Should().Be(2);
    }

    [Fact]
    public async Task The_main_endpoint_ignores_status_and_the_status_endpoint_ignores_spec()
    {
        var d = Deployment("web");
        d.Status = new V1DeploymentStatus { ReadyReplicas = 9 };
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(d, "default");
        created.Status?.ReadyReplicas.Should().BeNull();

        created.Status = new V1DeploymentStatus { ReadyReplicas = 1 };
        created.Spec.Replicas = 7;
        var afterStatus = await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "web", "default");

        afterStatus.Status.ReadyReplicas.Should().Be(1);
        afterStatus.Spec.Replicas.Should().Be(1);

        afterStatus.Status.ReadyReplicas = 5;
        afterStatus.Spec.Replicas = 2;
        var afterMain = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "web", "default");

        afterMain.Status.ReadyReplicas.Should().Be(1);
        afterMain.Spec.Replicas.Should().Be(2);
    }

    [Fact]
    public async Task Json_patch_and_strategic_merge_patch_apply()
    {
        var d = Deployment("web");
        d.Spec.Template.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "B", Value = "2" }];
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, "default");

        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"sidecar","image":"busybox"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", "default");
        var patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """[{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/labels/tier","value":"front"}]""",
            V1Patch.PatchType.JsonPatch), "web", "default");

        patched.Spec.Replicas.Should().Be(4);
        patched.Metadata.Labels["tier"].Should().Be("front");
        patched.Spec.Template.Spec.Containers.Select(c => c.Name).Should().Equal("web", "sidecar");
        patched.Spec.Template.Spec.Containers[0].Image.Should().Be("nginx:1.27");
        patched.Spec.Template.Spec.Containers[0].Env.Select(e => $"{e.Name}={e.Value}").Should().Equal("A=1", "B=3", "C=4");
    }

    [Fact]
    public async Task List_filters_by_label_and_field_selectors()
    {
        foreach (var (name, tier) in new[] { ("a", "front"), ("b", "back"), ("c", "front") })
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tier"] = tier } } }, "default");
        }

        var byLabel = await Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier=front");
        var bySet = await Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier in (back),tier!=front");
        var byField = await Client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=c");
        var nowhere = await Client.CoreV1.ListNamespacedConfigMapAsync("kube-system", labelSelector: "tier=front");

        byLabel.Items.Select(i => i.Metadata.Name).Should().Equal("a", "c");
        bySet.Items.Select(i => i.Metadata.Name).Should().Equal("b");
        byField.Items.Select(i => i.Metadata.Name).Should().Equal("c");
        nowhere.Items.Should().BeEmpty();
        long.Parse(byLabel.Metadata.ResourceVersion).Should().Be(Server.ResourceVersion);
    }

    [Fact]
    public async Task Delete_of_an_object_with_finalizers_sets_deletionTimestamp_until_they_are_removed()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", Finalizers = ["example.dev/cleanup"] } }, "default");

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("c", "default");
        var terminating = await Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "c", "default");

        terminating.Metadata.DeletionTimestamp.Should().NotBeNull();
        (await StatusOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default"))).Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Errors_are_status_objects_with_reason_and_code()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedSecretAsync("nope", "default"));

        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        status.Kind.Should().Be("Status");
        status.Status.Should().Be("Failure");
        status.Reason.Should().Be("NotFound");
        status.Code.Should().Be(404);
        status.Message.Should().Be("secrets \"nope\" not found");
        status.Details.Name.Should().Be("nope");
    }
}
