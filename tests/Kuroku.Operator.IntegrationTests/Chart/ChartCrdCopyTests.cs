using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.Chart;

public sealed class ChartCrdCopyTests
{
    private const string CrdFile = "webapps.kuroku.dev.yaml";

    [Fact]
    public async Task The_charts_CRD_is_a_byte_identical_copy_of_the_generated_one()
    {
        var generated = Path.Combine(SchemaCheck.RepositoryRoot, "crds", CrdFile);
        var copy = Path.Combine(HelmChart.ChartDirectory, "crds", CrdFile);
        File.Exists(generated).Should().BeTrue($"the generated CRD lives at {generated}");
        File.Exists(copy).Should().BeTrue($"the chart ships the CRD at {copy}: cp crds/{CrdFile} charts/kuroku/crds/");

        var expected = await File.ReadAllBytesAsync(generated);
        var actual = await File.ReadAllBytesAsync(copy);

        actual.SequenceEqual(expected).Should().BeTrue($"{copy} differs from {generated}: cp crds/{CrdFile} charts/kuroku/crds/");
    }

    [Fact]
    public async Task The_charts_CRD_is_a_valid_CustomResourceDefinition()
    {
        var copy = Path.Combine(HelmChart.ChartDirectory, "crds", CrdFile);
        File.Exists(copy).Should().BeTrue($"the chart ships the CRD at {copy}: cp crds/{CrdFile} charts/kuroku/crds/");

        var result = await SchemaCheck.ValidateAsync(await File.ReadAllTextAsync(copy));

        result.IsValid.Should().BeTrue(result.Describe());
        result.Objects.Should().ContainSingle().Which.Kind.Should().Be("CustomResourceDefinition");
    }
}
