using System.Net;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer;
using Kuroku.Testing.ApiServer.Http;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// LIST with limit and continue, as kube-apiserver pages: in key order (namespace/name), later pages at the
/// first page's resourceVersion (a consistent snapshot), remainingItemCount without selectors, 410 Expired
/// with a token to go on inconsistently once the history is compacted, 400 for a bad token.
/// </summary>
public sealed class PagingTests : ApiServerTest, IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    protected override KubeApiServerOptions ServerOptions => new() { Namespaces = ["default", "a", "b"] };

    private async Task CreateAsync(string ns, string name, string tier = "front") =>
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tier"] = tier } },
        }, ns);

    private async Task<(HttpStatusCode Code, JsonObject Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(Server.BaseUri, path));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static List<string> Names(JsonObject list) =>
        [.. list["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}")];

    [Fact]
    public async Task Pages_come_in_key_order_with_a_continue_token_and_the_count_left()
    {
        foreach (var (ns, name) in new[] { ("b", "x"), ("a", "z"), ("a", "y"), ("default", "m"), ("b", "w") })
        {
            await CreateAsync(ns, name);
        }

        var (_, first) = await GetAsync("api/v1/configmaps?limit=2");
        var (_, second) = await GetAsync($"api/v1/configmaps?limit=2&continue={Uri.EscapeDataString(first["metadata"]!["continue"]!.GetValue<string>())}");
        var (_, third) = await GetAsync($"api/v1/configmaps?limit=2&continue={Uri.EscapeDataString(second["metadata"]!["continue"]!.GetValue<string>())}");

        Names(first).Should().Equal("a/y", "a/z");
        first["metadata"]!["remainingItemCount"]!.GetValue<long>().Should().Be(3);
        Names(second).Should().Equal("b/w", "b/x");
        second["metadata"]!["remainingItemCount"]!.GetValue<long>().Should().Be(1);
        Names(third).Should().Equal("default/m");
        third["metadata"]!["continue"].Should().BeNull();
        third["metadata"]!["remainingItemCount"].Should().BeNull();
        second["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(first["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Later_pages_show_the_objects_as_they_were_when_the_first_page_was_served()
    {
        foreach (var name in new[] { "c1", "c2", "c3", "c4" })
        {
            await CreateAsync("a", name);
        }

        var (_, first) = await GetAsync("api/v1/namespaces/a/configmaps?limit=2");
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("c3", "a");
        await CreateAsync("a", "c5");
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"k":"changed"}}""", V1Patch.PatchType.MergePatch), "c4", "a");
        var (code, rest) = await GetAsync($"api/v1/namespaces/a/configmaps?limit=10&continue={Uri.EscapeDataString(first["metadata"]!["continue"]!.GetValue<string>())}");

        code.Should().Be(HttpStatusCode.OK);
        Names(rest).Should().Equal("a/c3", "a/c4");
        rest["items"]![1]!["data"].Should().BeNull("c4 as it was, before the patch");
        Names((await GetAsync("api/v1/namespaces/a/configmaps")).Body).Should().Equal("a/c1", "a/c2", "a/c4", "a/c5");
    }

    [Fact]
    public async Task A_label_selector_pages_through_the_matching_objects_without_a_count()
    {
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync("default", $"c{i}", i % 2 == 0 ? "front" : "back");
        }

        var (_, first) = await GetAsync("api/v1/namespaces/default/configmaps?limit=2&labelSelector=tier%3Dfront");
        var (_, second) = await GetAsync($"api/v1/namespaces/default/configmaps?limit=2&labelSelector=tier%3Dfront&continue={Uri.EscapeDataString(first["metadata"]!["continue"]!.GetValue<string>())}");

        Names(first).Should().Equal("default/c0", "default/c2");
        first["metadata"]!["remainingItemCount"].Should().BeNull("kube-apiserver counts what is left only without selectors");
        Names(second).Should().Equal("default/c4");
        second["metadata"]!["continue"].Should().BeNull();
    }

    [Fact]
    public async Task A_token_older_than_the_history_gets_410_expired_and_a_token_to_go_on_inconsistently()
    {
        foreach (var name in new[] { "c1", "c2", "c3" })
        {
            await CreateAsync("a", name);
        }

        var (_, first) = await GetAsync("api/v1/namespaces/a/configmaps?limit=1");
        await CreateAsync("a", "c4");
        Server.ExpireResourceVersions();

        var (code, status) = await GetAsync($"api/v1/namespaces/a/configmaps?limit=1&continue={Uri.EscapeDataString(first["metadata"]!["continue"]!.GetValue<string>())}");

        code.Should().Be(HttpStatusCode.Gone);
        status["reason"]!.GetValue<string>().Should().Be("Expired");
        status["message"]!.GetValue<string>().Should().StartWith("The provided continue parameter is too old to display a consistent list result.");
        var inconsistent = status["metadata"]!["continue"]!.GetValue<string>();
        var (_, rest) = await GetAsync($"api/v1/namespaces/a/configmaps?continue={Uri.EscapeDataString(inconsistent)}");
        Names(rest).Should().Equal("a/c2", "a/c3", "a/c4");
    }

    [Fact]
    public async Task A_malformed_token_or_one_with_a_resource_version_is_a_bad_request()
    {
        var token = new ContinueToken(5, "a/c1").Encode();

        (await GetAsync("api/v1/configmaps?continue=not-a-token")).Code.Should().Be(HttpStatusCode.BadRequest);
        (await GetAsync($"api/v1/configmaps?continue={new ContinueToken(0, "x").Encode()}")).Body["message"]!.GetValue<string>().Should().StartWith("continue key is not valid");
        (await GetAsync($"api/v1/configmaps?continue={token}&resourceVersion=5")).Body["message"]!.GetValue<string>()
            .Should().Be("specifying resource version is not allowed when using continue");
    }

    [Fact]
    public void The_token_is_apiservers_encoding()
    {
        var token = new ContinueToken(12, "shop/web").Encode();

        var json = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token));
        json.Should().Be("{\"v\":\"meta.k8s.io/v1\",\"rv\":12,\"start\":\"shop/web\\u0000\"}");
        ContinueToken.Decode(token).Should().Be(new ContinueToken(12, "shop/web"));
    }

    [Fact]
    public async Task KubernetesClient_pages_with_its_typed_list()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync("b", $"c{i}");
        }

        var names = new List<string>();
        string? next = null;
        do
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync("b", limit: 2, continueParameter: next);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            next = page.Metadata.ContinueProperty;
        }
        while (next is not null);

        names.Should().Equal("c0", "c1", "c2", "c3", "c4");
    }
}
