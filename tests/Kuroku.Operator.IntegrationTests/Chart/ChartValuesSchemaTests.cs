namespace Kuroku.Operator.IntegrationTests.Chart;

public sealed class ChartValuesSchemaTests
{
    /// <summary>A value values.schema.json refuses, and the part of the path helm's message must name.</summary>
    public static TheoryData<int, string, string> Violations()
    {
        var cases = new (string Set, string Field)[]
        {
            ("webhook.failurePolicy=Sometimes", "failurePolicy"),
            ("replicaCount=0", "replicaCount"),
            ("watchNamespace=Not_A_Namespace", "watchNamespace"),
            ("webhook.timeoutSeconds=60", "timeoutSeconds"),
            ("imagee.tag=1.0", "imagee"),
            ("webhook.certManager.issuerRef.kind=Vault", "kind"),
            ("otel.protocol=http", "protocol"),
        };
        var data = new TheoryData<int, string, string>();
        foreach (var helm in HelmChart.HelmVersions)
        {
            foreach (var (set, field) in cases)
            {
                data.Add(helm, set, field);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_value_the_schema_refuses_makes_helm_fail_naming_the_field(int helm, string set, string field)
    {
        var outcome = await HelmChart.TemplateAsync(helm, [set]);

        outcome.ExitCode.Should().NotBe(0, $"--set {set} breaks values.schema.json");
        outcome.StandardError.Should().Contain(field).And.Contain("schema");
    }
}
