using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Informers;

public sealed class OwnerKeyTests
{
    private static V1OwnerReference Ref(string apiVersion, string kind, string name, bool? controller) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = name + "-uid", Controller = controller };

    public static TheoryData<string, V1OwnerReference[], string?> Table => new()
    {
        { "controlled by a WebApp", [Ref("kuroku.dev/v1alpha1", "WebApp", "shop", true)], "shop/shop" },
        { "WebApp of another version", [Ref("kuroku.dev/v1beta1", "WebApp", "shop", true)], "shop/shop" },
        { "owned but not controlled", [Ref("kuroku.dev/v1alpha1", "WebApp", "shop", false)], null },
        { "controller flag absent", [Ref("kuroku.dev/v1alpha1", "WebApp", "shop", null)], null },
        { "controlled by a ReplicaSet", [Ref("apps/v1", "ReplicaSet", "rs", true)], null },
        { "WebApp kind in another group", [Ref("example.com/v1", "WebApp", "shop", true)], null },
        { "controller among owners", [Ref("v1", "ConfigMap", "x", false), Ref("kuroku.dev/v1alpha1", "WebApp", "blog", true)], "shop/blog" },
        { "no owners", [], null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void A_child_maps_to_its_controller_WebApp(string name, V1OwnerReference[] owners, string? expected)
    {
        var meta = new V1ObjectMeta { Name = "child", NamespaceProperty = "shop", OwnerReferences = owners };

        var key = OwnerKeys.ControllerOwner(meta, WebAppApi.Group, WebAppApi.Kind);

        key?.ToString().Should().Be(expected, name);
        (key is null).Should().Be(expected is null, name);
    }

    [Fact]
    public void A_change_to_a_child_enqueues_the_owner_and_a_change_to_a_WebApp_enqueues_itself()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue("test", time, RateLimiters.DefaultController(time));
        var owned = Watches.Owns<V1Deployment, WebApp>().EnqueueHandler(queue, new CacheReader());
        var primary = Watches.For<WebApp>().EnqueueHandler(queue, new CacheReader());
        var oldChild = new V1ObjectMeta { Name = "shop-web", NamespaceProperty = "shop", OwnerReferences = [Ref("kuroku.dev/v1alpha1", "WebApp", "shop", true)] };
        var newChild = new V1ObjectMeta { Name = "shop-web", NamespaceProperty = "shop", OwnerReferences = [Ref("kuroku.dev/v1alpha1", "WebApp", "shop2", true)] };

        owned.OnUpdate!(oldChild, newChild);
        primary.OnDelete!(new V1ObjectMeta { Name = "blog", NamespaceProperty = "web" });
        owned.OnAdd!(new V1ObjectMeta { Name = "orphan", NamespaceProperty = "shop" });

        var keys = new List<string>();
        while (queue.Count > 0)
        {
            keys.Add(queue.GetAsync().Result!);
        }

        keys.Should().Equal("shop/shop", "shop/shop2", "web/blog");
    }

    [Theory]
    [InlineData("ns/name", "ns", "name")]
    [InlineData("name", null, "name")]
    public void Keys_parse_and_print_round_trip(string text, string? ns, string name)
    {
        var key = ObjectKey.Parse(text);

        key.Should().Be(new ObjectKey(ns, name));
        key.ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("/name")]
    [InlineData("ns/")]
    [InlineData("a/b/c")]
    public void Malformed_keys_are_rejected(string text)
    {
        FluentActions.Invoking(() => ObjectKey.Parse(text)).Should().Throw<FormatException>().WithMessage($"*'{text}'*");
    }
}
