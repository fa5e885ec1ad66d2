using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// labelSelector with apimachinery's grammar (k8s.io/apimachinery/pkg/labels/selector.go Parse), on LIST and
/// WATCH of every resource, with the label keys Kuroku uses (kuroku.dev/..., app.kubernetes.io/managed-by).
/// </summary>
public sealed class LabelSelectorTests : ApiServerTest
{
    private static readonly LabelSet Labels = new(new Dictionary<string, string>
    {
        ["app.kubernetes.io/managed-by"] = "kuroku",
        ["kuroku.dev/webapp"] = "shop",
        ["kuroku.dev/process"] = "web",
        ["replicas"] = "3",
        ["empty"] = "",
    });

    [Theory]
    [InlineData("", true)]
    [InlineData("app.kubernetes.io/managed-by=kuroku", true)]
    [InlineData("app.kubernetes.io/managed-by==kuroku", true)]
    [InlineData("app.kubernetes.io/managed-by!=kuroku", false)]
    [InlineData("kuroku.dev/webapp=shop,kuroku.dev/process=worker", false)]
    [InlineData("kuroku.dev/process in (web, worker)", true)]
    [InlineData("kuroku.dev/process notin (web,worker)", false)]
    [InlineData("kuroku.dev/release", false)]
    [InlineData("!kuroku.dev/release", true)]
    [InlineData("kuroku.dev/webapp", true)]
    [InlineData("!kuroku.dev/webapp", false)]
    [InlineData("missing!=x", true)]
    [InlineData("missing notin (x)", true)]
    [InlineData("missing in (x)", false)]
    [InlineData("empty=", true)]
    [InlineData("replicas>2,replicas<4", true)]
    [InlineData("replicas>3", false)]
    [InlineData(" kuroku.dev/webapp = shop , kuroku.dev/process in(web) ", true)]
    public void Requirements_match_as_apimachinerys_do(string selector, bool matches)
    {
        LabelSelector.Parse(selector).Matches(Labels).Should().Be(matches);
    }

    [Theory]
    [InlineData("a=b,")]
    [InlineData("a in b")]
    [InlineData("a in ()")]
    [InlineData("!")]
    [InlineData("a=b c")]
    [InlineData("a>b")]
    [InlineData("a=b=c")]
    [InlineData("-bad-key-=x")]
    [InlineData("a=has space")]
    public void A_malformed_selector_is_refused(string selector)
    {
        var parse = () => LabelSelector.Parse(selector);

        parse.Should().Throw<ApiException>().Which.Code.Should().Be(400);
    }

    [Fact]
    public async Task Lists_of_any_resource_filter_by_kurokus_labels_and_a_bad_selector_is_400()
    {
        foreach (var (name, process) in new[] { ("shop-web", "web"), ("shop-worker", "worker"), ("other", "web") })
        {
            await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = new Dictionary<string, string> { ["kuroku.dev/webapp"] = name.StartsWith("shop", StringComparison.Ordinal) ? "shop" : "other", ["kuroku.dev/process"] = process },
                },
            }, "default");
        }

        var shop = await Client.CoreV1.ListServiceAccountForAllNamespacesAsync(labelSelector: "kuroku.dev/webapp=shop,kuroku.dev/process notin (worker)");
        shop.Items.Select(s => s.Metadata.Name).Should().Equal("shop-web");

        var bad = () => Client.CoreV1.ListNamespacedServiceAccountAsync("default", labelSelector: "kuroku.dev/webapp in shop");
        var e = (await bad.Should().ThrowAsync<HttpOperationException>()).Which;
        e.Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(e.Response.Content)!["message"]!.GetValue<string>().Should().StartWith("unable to parse requirement");
    }

    [Fact]
    public async Task A_watch_with_a_set_based_selector_sees_only_the_matching_objects()
    {
        using var http = new HttpClient();
        var rv = Server.ResourceVersion;
        using var response = await http.GetAsync(
            new Uri(Server.BaseUri, $"api/v1/namespaces/default/secrets?watch=1&resourceVersion={rv}&labelSelector={Uri.EscapeDataString("kuroku.dev/webapp in (shop),!kuroku.dev/ignored")}"),
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        foreach (var (name, labels) in new[]
        {
            ("ignored", new Dictionary<string, string> { ["kuroku.dev/webapp"] = "shop", ["kuroku.dev/ignored"] = "yes" }),
            ("other", new Dictionary<string, string> { ["kuroku.dev/webapp"] = "other" }),
            ("shop-db", new Dictionary<string, string> { ["kuroku.dev/webapp"] = "shop" }),
        })
        {
            await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, "default");
        }

        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        JsonNode.Parse(line!)!["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("shop-db");
    }
}
