using System.Text.RegularExpressions;
using Kuroku.Operator.IntegrationTests.Operator;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// The real kubectl binary against the playground a user starts (the operator reconciling, stand-ins running the
/// pods): what a user types, from the examples to deleting an app, and what kubectl shows of the operator's work.
/// </summary>
public sealed class KubectlEndToEndTests : IAsyncLifetime
{
    private PlaygroundSession _playground = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _playground = await PlaygroundSession.StartAsync();
        _kubectl = _playground.Kubectl();
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _playground.DisposeAsync();
    }

    private Task<KubectlResult> Kubectl(params string[] args) => _kubectl.RunAsync(args);

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
    public async Task A_user_applies_the_examples_lists_scales_describes_and_deletes_webapps_with_kubectl()
    {
        var applied = (await Kubectl("apply", "-f", Path.Combine(SchemaCheck.RepositoryRoot, "examples"))).EnsureSuccess();
        applied.StdOut.Should().Contain("webapp.kuroku.dev/hello created\n").And.Contain("webapp.kuroku.dev/shop created\n");
        var ready = (await Kubectl("wait", "--for=condition=Ready", "webapp", "--all", "-A", "--timeout=60s")).EnsureSuccess();
        ready.StdOut.Should().Contain("webapp.kuroku.dev/hello condition met").And.Contain("webapp.kuroku.dev/shop condition met");

        // The printer columns, with the values the operator wrote into status.
        var table = Table((await Kubectl("get", "webapps", "-A")).EnsureSuccess().StdOut);
        table[0].Should().Equal("NAMESPACE", "NAME", "RELEASE", "PROCESSES", "URL", "READY", "AGE");
        table.Single(r => r[1] == "hello")[..6].Should().Equal("default", "hello", "1", "web 1/1", "http://hello.default.svc", "True");
        table.Single(r => r[1] == "shop")[..6].Should().Equal("shop", "shop", "1", "web 2/2, worker 1/1, cleanup (30 3 * * * Europe/Paris)", "https://shop.example.com", "True");

        // The category and the short name.
        Table((await Kubectl("get", "kuroku", "-A")).EnsureSuccess().StdOut).Select(r => r[1]).Should().Contain(["hello", "shop"]);
        Table((await Kubectl("get", "wa", "-A")).EnsureSuccess().StdOut).Select(r => r[1]).Should().Contain(["hello", "shop"]);

        // The scale subresource drives the web process's replicas; the pods follow.
        (await Kubectl("scale", "webapp/hello", "--replicas=3")).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev/hello scaled");
        await EventuallyPrints(["get", "webapps", "hello"], s => Table(s).Single(r => r[0] == "hello").Contains("web 3/3"), "hello at 3/3");
        (await Kubectl("wait", "--for=condition=Ready", "webapp/hello", "--timeout=30s")).EnsureSuccess();
        var pods = Table((await Kubectl("get", "pods", "-l", "app.kubernetes.io/instance=hello")).EnsureSuccess().StdOut);
        pods.Skip(1).Should().HaveCount(3).And.OnlyContain(r => r[0].StartsWith("hello-web-", StringComparison.Ordinal) && r[1] == "Running");
        (await _playground.GetAsync("hello")).Spec.Processes["web"].Replicas.Should().Be(3);

        // The operator's events on the WebApp.
        var described = await EventuallyPrints(["describe", "webapp", "hello"], s => s.Contains("updated Deployment hello-web", StringComparison.Ordinal), "the operator's events");
        described.Should().Contain("Events:").And.MatchRegex(@"Normal\s+Released\s+.*Release v1 \(initial release\) is live\. Created ConfigMap hello-router, Service hello, Deployment hello-web")
            .And.MatchRegex(@"Normal\s+Applied\s+.*updated Deployment hello-web \(spec\.replicas\)");

        // Deleting the app collects its children, down to the pods.
        (await Kubectl("delete", "webapp", "hello")).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev \"hello\" deleted");
        await TestCluster.EventuallyAsync(async () => await _playground.DeploymentAsync("hello-web") is null, "hello-web to be garbage-collected");
        await EventuallyPrints(["get", "pods", "-o", "name"], s => !s.Contains("pod/hello-", StringComparison.Ordinal), "hello's pods gone");
        (await Kubectl("get", "webapps", "-A", "-o", "name")).EnsureSuccess().StdOut.Trim().Should().Be("webapp.kuroku.dev/shop");
        (await Kubectl("get", "services", "-o", "name")).EnsureSuccess().StdOut.Should().NotContain("service/hello\n");
    }
}
