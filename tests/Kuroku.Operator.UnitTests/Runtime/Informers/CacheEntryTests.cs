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

    [Fact]
    public void A_large_object_of_random_text_which_compresses_little_reads_back_exactly()
    {
        var random = new Random(7);
        var noise = Convert.ToBase64String([.. Enumerable.Range(0, 4096).Select(_ => (byte)random.Next(256))]);
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "b" }, Data = new Dictionary<string, string> { ["noise"] = noise } };
        var json = JsonNode.Parse(KubernetesJson.Serialize(map))!.ToJsonString();

        var entry = new ObjectStore().Entry(JsonNode.Parse(json)!.AsObject());

        entry.StoredBytes.Should().BeLessThanOrEqualTo(json.Length, "a compressed copy is kept only when it is smaller");
        entry.Read(System.Text.Encoding.UTF8.GetString).Should().Be(json);
    }

    private static V1Deployment Renamed(V1Deployment deployment, string name, string image)
    {
        deployment.Metadata.Name = name;
        deployment.Metadata.ResourceVersion = "43";
        deployment.Metadata.Labels["app"] = name;
        deployment.Spec.Selector.MatchLabels["app"] = name;
        foreach (var container in deployment.Spec.Template.Spec.Containers)
        {
            container.Image = image;
        }

        return deployment;
    }

    [Fact]
    public void The_objects_of_one_store_are_compressed_against_the_first_one_and_read_back_exactly()
    {
        var store = new ObjectStore();
        var first = store.Entry(JsonNode.Parse(KubernetesJson.Serialize(Deployment(containers: 2)))!.AsObject());
        var other = Renamed(Deployment(containers: 2), "blog-web", "registry.example.com/blog:2.4.1");
        var json = KubernetesJson.Serialize(other);
        var alone = new ObjectStore().Entry(JsonNode.Parse(KubernetesJson.Serialize(Renamed(Deployment(containers: 2), "x", "y")))!.AsObject());

        var entry = store.Entry(JsonNode.Parse(json)!.AsObject());

        entry.StoredBytes.Should().BeLessThan(first.StoredBytes + 200, "what the second object shares with the first costs next to nothing");
        entry.StoredBytes.Should().BeLessThan(json.Length / 8);
        KubernetesJson.Serialize(entry.Read<V1Deployment>()).Should().Be(json);
        KubernetesJson.Serialize(first.Read<V1Deployment>()).Should().Be(KubernetesJson.Serialize(Deployment(containers: 2)));
        alone.Read<V1Deployment>().Metadata.Name.Should().Be("x", "a store's first object reads back from its own dictionary");
    }

    [Fact]
    public void An_object_unlike_its_stores_dictionary_still_compresses_and_reads_back_exactly()
    {
        var store = new ObjectStore();
        store.Entry(JsonNode.Parse(KubernetesJson.Serialize(Deployment(containers: 1)))!.AsObject());
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "b" }, Data = new Dictionary<string, string> { ["text"] = string.Join(' ', Enumerable.Repeat("the same words again", 100)) } };
        var json = JsonNode.Parse(KubernetesJson.Serialize(map))!.ToJsonString();

        var entry = store.Entry(JsonNode.Parse(json)!.AsObject());

        entry.StoredBytes.Should().BeLessThan(json.Length / 4);
        entry.Read(System.Text.Encoding.UTF8.GetString).Should().Be(json);
    }

    [Fact]
    public void A_sample_too_large_or_too_small_makes_no_dictionary()
    {
        CompressionDictionary.From(new byte[CompressionDictionary.MaxSampleBytes + 1]).Should().BeNull("every compression deflates the sample again");
        CompressionDictionary.From(new byte[CacheEntry.CompressAbove]).Should().BeNull();
        CompressionDictionary.From(new byte[CompressionDictionary.MaxSampleBytes]).Should().NotBeNull();
    }

    [Fact]
    public void A_store_whose_first_object_is_too_large_for_a_dictionary_takes_a_later_one()
    {
        var store = new ObjectStore();
        var huge = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "huge", NamespaceProperty = "b" }, Data = new Dictionary<string, string> { ["x"] = new string('x', CompressionDictionary.MaxSampleBytes) } };
        var bigEntry = store.Entry(JsonNode.Parse(KubernetesJson.Serialize(huge))!.AsObject());
        store.Entry(JsonNode.Parse(KubernetesJson.Serialize(Deployment(containers: 2)))!.AsObject());
        var json = KubernetesJson.Serialize(Renamed(Deployment(containers: 2), "blog-web", "registry.example.com/blog:2.4.1"));

        var entry = store.Entry(JsonNode.Parse(json)!.AsObject());

        bigEntry.Read<V1ConfigMap>().Data["x"].Should().HaveLength(CompressionDictionary.MaxSampleBytes);
        entry.StoredBytes.Should().BeLessThan(json.Length / 8, "the Deployment became the dictionary");
        KubernetesJson.Serialize(entry.Read<V1Deployment>()).Should().Be(json);
    }

    [Fact]
    public void An_update_keeps_one_instance_of_the_key_for_the_dictionary_the_entry_and_its_index_buckets()
    {
        var store = new ObjectStore();
        var first = store.Entry(JsonNode.Parse(KubernetesJson.Serialize(Deployment(containers: 1)))!.AsObject());
        store.Upsert(first);
        var updated = Deployment(containers: 1);
        updated.Metadata.ResourceVersion = "43";
        var second = store.Entry(JsonNode.Parse(KubernetesJson.Serialize(updated))!.AsObject());
        var relisted = Deployment(containers: 1);
        relisted.Metadata.ResourceVersion = "44";
        var third = store.Entry(JsonNode.Parse(KubernetesJson.Serialize(relisted))!.AsObject());
        second.Key.Should().NotBeSameAs(first.Key, "each event's entry starts with its own copy");

        store.Upsert(second);
        store.Replace([third]);

        second.Key.Should().BeSameAs(first.Key);
        third.Key.Should().BeSameAs(first.Key, "a relist keeps the instance too");
        store.ByIndex(ObjectStore.NamespaceIndex, "shop").Should().ContainSingle().Which.Should().BeSameAs(third);
        store.Get("shop/shop-web").Should().BeSameAs(third);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("0")]
    [InlineData("007")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    public void A_resource_version_reads_back_as_it_was_given_whether_or_not_it_is_held_as_a_number(string? resourceVersion)
    {
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "b", ResourceVersion = resourceVersion } };

        var entry = new ObjectStore().Entry(JsonNode.Parse(KubernetesJson.Serialize(map))!.AsObject());

        entry.ResourceVersion.Should().Be(resourceVersion);
    }

    [Fact]
    public void Stores_that_share_a_pool_hold_one_instance_of_an_owner_uid_and_let_it_go_when_no_object_names_it()
    {
        var uid = Guid.NewGuid().ToString();
        CacheEntry Owned(ObjectStore store, string kind) => store.Entry(JsonNode.Parse(KubernetesJson.Serialize(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = kind,
            Metadata = new V1ObjectMeta { Name = "child", NamespaceProperty = "b", ResourceVersion = "1", OwnerReferences = [new V1OwnerReference { Uid = new string([.. uid]), Name = "app", Kind = "WebApp", ApiVersion = "kuroku.dev/v1alpha1" }] },
        }))!.AsObject());
        static string OwnerValue(ObjectStore store, CacheEntry entry) => store.IndexValues(entry, ObjectStore.OwnerIndex).Single();
        var pool = new IndexValuePool();
        var (maps, services, apart) = (new ObjectStore(values: pool), new ObjectStore(values: pool), new ObjectStore());

        var map = Owned(maps, "ConfigMap");
        var service = Owned(services, "Service");
        var elsewhere = Owned(apart, "Secret");
        maps.Upsert(map);
        services.Upsert(service);
        apart.Upsert(elsewhere);

        OwnerValue(services, service).Should().BeSameAs(OwnerValue(maps, map), "the second store takes the instance the first one holds");
        OwnerValue(apart, elsewhere).Should().NotBeSameAs(OwnerValue(maps, map), "a store outside the pool keeps its own");
        pool.Count.Should().Be(2, "the uid and the namespace");
        maps.Delete(map.Key);
        pool.Count.Should().Be(2, "the Service still names both");
        services.Delete(service.Key);
        pool.Count.Should().Be(0, "once no store of the pool names a value, the pool lets it go");
        apart.ByIndex(ObjectStore.OwnerIndex, uid).Should().ContainSingle();
    }

    [Fact]
    public void A_store_counts_what_it_holds_and_what_it_lets_go_on_updates_deletes_and_relists()
    {
        var store = new ObjectStore();
        CacheEntry Map(string name, string version, string value) => store.Entry(JsonNode.Parse(KubernetesJson.Serialize(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", ResourceVersion = version },
            Data = new Dictionary<string, string> { ["value"] = value },
        }))!.AsObject());
        var a1 = Map("a", "1", new string('x', 2000));
        var b1 = Map("b", "2", "small");

        store.Upsert(a1);
        store.Upsert(b1);
        store.HeldBytes.Should().Be(a1.Footprint + b1.Footprint);
        store.ReleasedBytes.Should().Be(0);
        a1.Footprint.Should().BeGreaterThan(a1.StoredBytes, "the entry's own objects count too");

        var a2 = Map("a", "3", "now small");
        store.Upsert(a2);
        store.HeldBytes.Should().Be(a2.Footprint + b1.Footprint);
        store.ReleasedBytes.Should().Be(a1.Footprint, "the replaced entry is garbage now");

        store.Delete("shop/b");
        store.HeldBytes.Should().Be(a2.Footprint);
        store.ReleasedBytes.Should().Be(a1.Footprint + b1.Footprint);
        store.Delete("shop/b");
        store.ReleasedBytes.Should().Be(a1.Footprint + b1.Footprint, "deleting a key the store does not hold releases nothing");

        var a3 = Map("a", "3", "now small");
        var c = Map("c", "4", "new");
        store.Replace([a3, c]);
        store.HeldBytes.Should().Be(a3.Footprint + c.Footprint);
        store.ReleasedBytes.Should().Be(a1.Footprint + b1.Footprint + a2.Footprint, "a relist replaces every entry it lists, changed or not");
        store.Replace([]);
        store.HeldBytes.Should().Be(0);
        store.ReleasedBytes.Should().Be(a1.Footprint + b1.Footprint + a2.Footprint + a3.Footprint + c.Footprint);
    }
}
