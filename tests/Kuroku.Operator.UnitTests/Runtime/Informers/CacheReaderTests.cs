using System.Text.Json.Nodes;
using k8s;
using Kuroku.Runtime.Informers;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Informers;

public sealed class CacheReaderTests
{
    private static V1Deployment Deployment(string ns, string name, string? ownerUid = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = labels,
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { ApiVersion = "kuroku.dev/v1alpha1", Kind = "WebApp", Name = "app", Uid = ownerUid, Controller = true }],
        },
    };

    private static CacheEntry Entry(ObjectStore store, V1Deployment deployment) =>
        store.Entry(JsonNode.Parse(KubernetesJson.Serialize(deployment))!.AsObject());

    private static CacheReader ReaderOver(params V1Deployment[] deployments)
    {
        var store = new ObjectStore();
        foreach (var d in deployments)
        {
            store.Upsert(Entry(store, d));
        }

        var reader = new CacheReader();
        reader.Attach(typeof(V1Deployment), metadataOnly: false, store);
        return reader;
    }

    [Fact]
    public void Lists_by_namespace_labels_and_owner_in_key_order()
    {
        var reader = ReaderOver(
            Deployment("b", "web", "uid-1", new() { ["app"] = "shop" }),
            Deployment("a", "worker", "uid-1", new() { ["app"] = "shop", ["tier"] = "worker" }),
            Deployment("a", "web", "uid-2", new() { ["app"] = "blog" }));

        reader.List<V1Deployment>().Select(d => $"{d.Namespace()}/{d.Name()}").Should().Equal("a/web", "a/worker", "b/web");
        reader.List<V1Deployment>("a").Select(d => d.Name()).Should().Equal("web", "worker");
        reader.List<V1Deployment>(matchLabels: new Dictionary<string, string> { ["app"] = "shop" }).Select(d => d.Namespace()).Should().Equal("a", "b");
        reader.ListOwnedBy<V1Deployment>("uid-1").Select(d => $"{d.Namespace()}/{d.Name()}").Should().Equal("a/worker", "b/web");
        reader.ListOwnedBy<V1Deployment>("uid-3").Should().BeEmpty();
    }

    [Fact]
    public void Readers_get_copies_that_do_not_change_the_cache()
    {
        var reader = ReaderOver(Deployment("a", "web"));

        reader.Get<V1Deployment>("a", "web")!.Metadata.Name = "changed";

        reader.Get<V1Deployment>("a", "web").Should().NotBeNull();
        reader.Get<V1Deployment>("a", "nope").Should().BeNull();
    }

    [Fact]
    public void Reading_an_unwatched_type_says_so()
    {
        var reader = ReaderOver();

        FluentActions.Invoking(() => reader.Get<V1Secret>("a", "s")).Should().Throw<InvalidOperationException>().WithMessage("*V1Secret*");
    }

    [Fact]
    public void Replacing_the_owner_index_follows_updates()
    {
        var store = new ObjectStore();
        store.Upsert(Entry(store, Deployment("a", "web", "uid-1")));

        store.Upsert(Entry(store, Deployment("a", "web", "uid-2")));

        store.ByIndex(ObjectStore.OwnerIndex, "uid-1").Should().BeEmpty();
        store.ByIndex(ObjectStore.OwnerIndex, "uid-2").Should().ContainSingle();
    }

    [Fact]
    public void A_metadata_only_store_is_read_as_metadata_and_not_as_objects()
    {
        var store = new ObjectStore();
        store.Upsert(store.Entry(CacheTransforms.IdentityOnly(JsonNode.Parse(KubernetesJson.Serialize(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "shop", ResourceVersion = "7", Uid = "u" },
            Data = new Dictionary<string, byte[]> { ["url"] = "postgres://secret"u8.ToArray() },
        }))!.AsObject())));
        var reader = new CacheReader();
        reader.Attach(typeof(V1Secret), metadataOnly: true, store);

        reader.GetMetadata<V1Secret>("shop", "db")!.ResourceVersion.Should().Be("7");
        System.Text.Encoding.UTF8.GetString(store.List().Single().Json.Span).Should().NotContain("url", "no data is kept");
        FluentActions.Invoking(() => reader.Get<V1Secret>("shop", "db")).Should().Throw<InvalidOperationException>().WithMessage("*V1Secret*");
    }
}
