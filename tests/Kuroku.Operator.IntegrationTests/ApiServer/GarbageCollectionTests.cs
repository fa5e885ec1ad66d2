using k8s;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>Deleting an owner deletes its dependents in the background, cascading, as the cluster's garbage collector does.</summary>
public sealed class GarbageCollectionTests : ApiServerTest
{
    private async Task<V1ConfigMap> CreateAsync(string name, params V1ConfigMap[] owners) =>
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = [.. owners.Select(o => new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = o.Metadata.Name, Uid = o.Metadata.Uid })],
            },
        }, "default");

    private async Task<IReadOnlyList<string>> NamesEventuallyAsync(params string[] expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var names = Server.ListObjects("", "configmaps", "default").Select(o => o["metadata"]!["name"]!.GetValue<string>()).ToList();
            if (names.SequenceEqual(expected) || DateTime.UtcNow > deadline)
            {
                return names;
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Dependents_and_their_dependents_are_deleted_after_the_owner()
    {
        var owner = await CreateAsync("owner");
        var child = await CreateAsync("child", owner);
        await CreateAsync("grandchild", child);
        await CreateAsync("unrelated");

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");

        (await NamesEventuallyAsync("unrelated")).Should().Equal("unrelated");
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_only_loses_the_dangling_reference()
    {
        var first = await CreateAsync("first");
        var second = await CreateAsync("second");
        await CreateAsync("shared", first, second);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("first", "default");
        await NamesEventuallyAsync("second", "shared");
        Server.CollectGarbage();

        var shared = await Client.CoreV1.ReadNamespacedConfigMapAsync("shared", "default");
        shared.Metadata.OwnerReferences.Select(r => r.Name).Should().Equal("second");
    }

    [Fact]
    public async Task Orphan_propagation_keeps_the_dependents_without_the_reference()
    {
        var owner = await CreateAsync("owner");
        await CreateAsync("child", owner);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");
        Server.CollectGarbage();

        var child = await Client.CoreV1.ReadNamespacedConfigMapAsync("child", "default");
        child.Metadata.OwnerReferences.Should().BeNullOrEmpty();
    }
}
