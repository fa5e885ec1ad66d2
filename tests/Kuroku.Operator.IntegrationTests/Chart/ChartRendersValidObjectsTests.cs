using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.Chart;

public sealed class ChartRendersValidObjectsTests
{
    public static TheoryData<int, string> Scenarios => ChartScenario.WithEveryHelm();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Helm_lint_passes(int helm, string scenario)
    {
        var sets = ChartScenario.All[scenario].Sets.SelectMany(s => new[] { "--set", s });
        var outcome = await HelmChart.RunAsync(helm, ["lint", "--strict", HelmChart.ChartDirectory, .. sets]);

        outcome.ExitCode.Should().Be(0, outcome.ToString());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_rendered_object_matches_its_Kubernetes_schema(int helm, string scenario)
    {
        var yaml = await HelmChart.RenderAsync(helm, ChartScenario.All[scenario]);

        var result = await SchemaCheck.ValidateAsync(yaml);

        result.IsValid.Should().BeTrue(result.Describe());
        result.Objects.Should().Contain(o => o.Kind == "Deployment", "the operator itself is rendered");
        result.Skipped.Select(o => o.Kind).Should().BeEquivalentTo(
            ChartScenario.All[scenario].CustomKinds,
            "only the custom resources of cert-manager and the Prometheus Operator are beyond the built-in schemas");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_rendered_object_uses_only_fields_its_model_knows(int helm, string scenario)
    {
        var yaml = await HelmChart.RenderAsync(helm, ChartScenario.All[scenario]);

        // Strict parsing throws on a misspelled field, which the schema check above cannot see.
        var parse = () => HelmChart.Parse(yaml);

        parse.Should().NotThrow().Which.Should().NotBeEmpty();
    }
}
