using System.Text.RegularExpressions;
using Kuroku.Operator.IntegrationTests.Operator;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// The real kubectl binary against the operator running on a cluster: what a user types, from
/// installing the CRD to deleting the app, and what kubectl shows of the operator's work.
/// </summary>
public sealed class KubectlEndToEndTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.StartOperatorAsync();
        _kubectl = _cluster.Kubectl();
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _cluster.DisposeAsync();
    }

    private Task<KubectlResult> Kubectl(params string[] args) => _kubectl.RunAsync([.. args, "-n", _cluster.Namespace], null, CancellationToken.None);

    private static string Example(string name) => File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", name));

    /// <summary>kubectl's table output, as rows of columns split on runs of two or more spaces.</summary>
    private static List<string[]> Table(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => Regex.Split(line.TrimEnd(), " {2,}"))];

    private async Task<string> EventuallyPrints(string[] args, Func<string, bool> condition, string what)
    {
        var last = "";
        try
        {
            await TestCluster.EventuallyAsync(async () =>
            {
                last = (await Kubectl(args)).EnsureSuccess().StdOut;
                return condition(last);
            }, $"kubectl {string.Join(' ', args)} to show {what}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last output:\n{last}", e);
        }

        return last;
    }

    [Fact]
    public async Task Applying_the_crds_folder_again_leaves_the_installed_crd_in_place()
    {
        var crds = Path.Combine(SchemaCheck.RepositoryRoot, "crds");

        var first = (await _kubectl.RunAsync("apply", "-f", crds)).EnsureSuccess();
        var second = (await _kubectl.RunAsync("apply", "-f", crds)).EnsureSuccess();

        first.StdOut.Should().MatchRegex(@"customresourcedefinition\.apiextensions\.k8s\.io/webapps\.kuroku\.dev (configured|unchanged)");
        second.StdOut.Trim().Should().Be("customresourcedefinition.apiextensions.k8s.io/webapps.kuroku.dev unchanged");
        (await Kubectl("get", "webapps")).EnsureSuccess();
    }

    [Fact]
    public async Task A_user_applies_lists_scales_describes_and_deletes_webapps_with_kubectl()
    {
        var ns = _cluster.Namespace;
        var minimal = _kubectl.WriteFile("minimal.yaml", Example("minimal.yaml").Replace("namespace: default", $"namespace: {ns}", StringComparison.Ordinal));
        var full = _kubectl.WriteFile("webapp.yaml", Example("webapp.yaml").Replace("namespace: shop", $"namespace: {ns}", StringComparison.Ordinal));

        (await Kubectl("apply", "-f", minimal)).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev/hello created");
        var secrets = _kubectl.WriteFile("secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: shop-db}
            stringData: {url: "postgres://db/shop"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: shop-secrets}
            stringData: {SECRET_KEY: s3cret}
            """);
        (await Kubectl("apply", "-f", secrets)).EnsureSuccess();
        (await Kubectl("apply", "-f", full)).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev/shop created");

        // The printer columns, with the values the operator wrote into status.
        var listed = await EventuallyPrints(["get", "webapps"], s => Table(s).Any(r => r[0] == "hello" && r.Contains("web 0/1")), "hello's processes");
        var table = Table(listed);
        table[0].Should().Equal("NAME", "RELEASE", "PROCESSES", "URL", "READY", "AGE");
        var hello = table.Single(r => r[0] == "hello");
        hello[1].Should().Be("1");
        hello[2].Should().Be("web 0/1");
        hello[3].Should().Be($"http://hello.{ns}.svc");
        hello[4].Should().Be("False");
        table.Should().Contain(r => r[0] == "shop");
        await EventuallyPrints(["get", "webapps", "shop"], s => s.Contains("https://shop.example.com", StringComparison.Ordinal), "shop's URL");

        if (!_cluster.IsReal)
        {
            await _cluster.MarkReadyAsync("hello-web");
            await EventuallyPrints(["get", "webapps", "hello"], s => Table(s).Single(r => r[0] == "hello") is var row && row.Contains("web 1/1") && row.Contains("True"), "hello ready");
        }

        // The category and the short name.
        Table((await Kubectl("get", "kuroku")).EnsureSuccess().StdOut).Select(r => r[0]).Should().Contain(["hello", "shop"]);
        Table((await Kubectl("get", "wa")).EnsureSuccess().StdOut).Select(r => r[0]).Should().Contain(["hello", "shop"]);

        // The scale subresource drives the web process's replicas.
        (await Kubectl("scale", "webapp/hello", "--replicas=3")).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev/hello scaled");
        await TestCluster.EventuallyAsync(async () => (await _cluster.DeploymentAsync("hello-web"))?.Spec.Replicas == 3, "hello-web scaled to 3");
        (await _cluster.GetAsync("hello")).Spec.Processes["web"].Replicas.Should().Be(3);

        // The operator's events on the WebApp.
        var described = await EventuallyPrints(["describe", "webapp", "hello"], s => s.Contains("updated Deployment hello-web", StringComparison.Ordinal), "the operator's events");
        described.Should().Contain("Events:").And.MatchRegex(@"Normal\s+Released\s+.*Release v1 \(initial release\) is live\. Created ConfigMap hello-router, Service hello, Deployment hello-web")
            .And.MatchRegex(@"Normal\s+Applied\s+.*updated Deployment hello-web \(spec\.replicas\)");

        // Deleting the app collects its children.
        (await Kubectl("delete", "webapp", "hello")).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev \"hello\" deleted");
        await TestCluster.EventuallyAsync(async () => await _cluster.DeploymentAsync("hello-web") is null, "hello-web to be garbage-collected");
        (await Kubectl("get", "webapps", "-o", "name")).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev/shop");
        (await Kubectl("get", "services", "-o", "name")).EnsureSuccess().StdOut.Should().NotContain("service/hello\n");
    }
}
