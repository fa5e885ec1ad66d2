using Kuroku.Benchmarks.Scale;
using Kuroku.Testing.ApiServer.Hooks;

namespace Kuroku.Benchmarks.Tests;

public sealed class WriteCountingTests
{
    private const string Exposition = """
        # TYPE kuroku_api_requests_total counter
        kuroku_api_requests_total{otel_scope_name="Kuroku.Operator",code="201",resource="deployments.apps",verb="create"} 12 1733000000000
        kuroku_api_requests_total{otel_scope_name="Kuroku.Operator",code="409",resource="deployments.apps",verb="create"} 1 1733000000000
        kuroku_api_requests_total{otel_scope_name="Kuroku.Operator",code="200",resource="webapps.kuroku.dev/status",verb="update"} 7
        kuroku_api_requests_total{otel_scope_name="Kuroku.Operator",code="200",resource="deployments.apps",verb="list"} 3
        kuroku_api_requests_total{otel_scope_name="Kuroku.Operator",code="200",resource="events",verb="patch"} 2
        kuroku_reconciles_total{controller="webapp",result="success"} 40
        kuroku_queue_depth 0
        """;

    [Fact]
    public void The_exposition_format_reads_into_names_labels_and_values()
    {
        var samples = PrometheusText.Parse(Exposition);

        samples.Should().HaveCount(7);
        samples[0].Name.Should().Be("kuroku_api_requests_total");
        samples[0].Label("resource").Should().Be("deployments.apps");
        samples[0].Value.Should().Be(12);
        samples[^1].Should().Match<Sample>(s => s.Name == "kuroku_queue_depth" && s.Labels.Count == 0 && s.Value == 0);
    }

    [Fact]
    public void Label_values_unescape()
    {
        var sample = PrometheusText.Parse("m{a=\"x\\\"y\",b=\"1,2\"} 5").Single();

        sample.Label("a").Should().Be("x\"y");
        sample.Label("b").Should().Be("1,2");
    }

    [Fact]
    public void The_operators_metrics_count_writes_of_any_code_by_verb_and_resource()
    {
        var tally = WriteTally.FromMetrics(PrometheusText.Parse(Exposition));

        tally.ByVerbAndResource.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["create deployments"] = 13,
            ["update webapps/status"] = 7,
            ["patch events"] = 2,
        });
        tally.Total.Should().Be(22);
        tally.RejectedByVerbAndResource.Should().BeEquivalentTo(new Dictionary<string, long> { ["create deployments"] = 1 });
    }

    [Fact]
    public void A_phase_counts_what_grew_since_its_start()
    {
        var before = WriteTally.FromMetrics(PrometheusText.Parse(Exposition));
        var after = WriteTally.FromMetrics(PrometheusText.Parse(Exposition.Replace("} 7", "} 9", StringComparison.Ordinal)));

        after.Minus(before).ByVerbAndResource.Should().BeEquivalentTo(new Dictionary<string, long> { ["update webapps/status"] = 2 });
    }

    [Fact]
    public void The_server_log_tells_the_operators_writes_from_the_benchmarks_own()
    {
        RequestRecord[] log =
        [
            new("create", "namespaces", null, null, 201),
            new("create", "secrets", "ns", null, 201),
            new("create", "webapps", "ns", null, 201),
            new("patch", "webapps", "ns", "app", 200),
            new("update", "webapps/status", "ns", "app", 200),
            new("create", "deployments", "ns", null, 201),
            new("create", "events", "ns", null, 201),
            new("create", "configmaps", "ns", null, 409),
            new("get", "deployments", "ns", "app-web", 200),
        ];

        var tally = WriteTally.FromLog(log, WriteTally.IsOperatorWrite);

        tally.ByVerbAndResource.Keys.Should().BeEquivalentTo(["update webapps/status", "create deployments", "create events", "create configmaps"]);
        tally.Rejected.Should().Be(1);
    }

    [Theory]
    [InlineData("deployments.apps", "deployments")]
    [InlineData("webapps.kuroku.dev/status", "webapps/status")]
    [InlineData("events", "events")]
    [InlineData("horizontalpodautoscalers.autoscaling", "horizontalpodautoscalers")]
    public void Resources_are_named_as_the_server_log_names_them(string metric, string log) =>
        WriteTally.NormalizeResource(metric).Should().Be(log);

    [Fact]
    public void The_operators_json_log_lines_carry_their_utc_time()
    {
        var at = OperatorProcess.LogTimestamp("""{"Timestamp":"2026-12-01T21:53:06.565Z","LogLevel":"Information","Message":"Caches synced"}""");

        at.Should().Be(new DateTime(2026, 12, 1, 21, 53, 6, 565, DateTimeKind.Utc));
        at!.Value.Kind.Should().Be(DateTimeKind.Utc);
        OperatorProcess.LogTimestamp("not json").Should().BeNull();
    }
}
