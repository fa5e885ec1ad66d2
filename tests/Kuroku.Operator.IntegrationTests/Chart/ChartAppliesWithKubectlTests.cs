using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.Chart;

/// <summary>
/// `helm template charts/kuroku | kubectl apply --dry-run` with both helm versions, against the
/// in-process API server: every rendered object maps to a served kind and passes the server's dry run.
/// </summary>
public sealed class ChartAppliesWithKubectlTests
{
    public static TheoryData<int, string> Scenarios => ChartScenario.WithEveryHelm();

    // What cert-manager and the Prometheus operator would have installed in a real cluster.
    private static string StubCrd(string group, string kind, string plural) => $"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {"{"}name: {plural}.{group}{"}"}
        spec:
          group: {group}
          names: {"{"}kind: {kind}, plural: {plural}, singular: {kind.ToLowerInvariant()}, listKind: {kind}List{"}"}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema: {"{"}openAPIV3Schema: {"{"}type: object, x-kubernetes-preserve-unknown-fields: true{"}"}{"}"}
        """;

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_rendered_chart_applies_cleanly_in_a_server_dry_run(int helm, string scenario)
    {
        var rendered = await HelmChart.RenderAsync(helm, ChartScenario.All[scenario]);
        await using var server = await KubeApiServer.StartAsync();
        using var kubectl = Kubectl.For(server);
        var setup = string.Join("\n---\n",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + HelmChart.ReleaseNamespace + "}",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}",
            StubCrd("cert-manager.io", "Certificate", "certificates"),
            StubCrd("cert-manager.io", "Issuer", "issuers"),
            StubCrd("monitoring.coreos.com", "ServiceMonitor", "servicemonitors"));
        (await kubectl.RunAsync(["apply", "-f", "-"], setup, CancellationToken.None)).EnsureSuccess();
        (await kubectl.RunAsync("apply", "-f", Path.Combine(SchemaCheck.RepositoryRoot, "charts", "kuroku", "crds"))).EnsureSuccess();

        var client = await kubectl.RunAsync(["apply", "--dry-run=client", "-f", "-"], rendered, CancellationToken.None);
        var dryRun = await kubectl.RunAsync(["apply", "--dry-run=server", "-f", "-"], rendered, CancellationToken.None);

        client.ExitCode.Should().Be(0, client.StdErr);
        dryRun.ExitCode.Should().Be(0, dryRun.StdErr);
        var objects = HelmChart.Parse(rendered).Count;
        dryRun.StdOut.Split('\n').Count(l => l.EndsWith("(server dry run)", StringComparison.Ordinal))
            .Should().Be(objects, "every rendered object is accepted: " + dryRun.StdOut);
    }
}
