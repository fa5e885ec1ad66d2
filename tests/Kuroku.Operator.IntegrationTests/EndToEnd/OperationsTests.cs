using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.IntegrationTests.Operator;
using Kuroku.Operator.IntegrationTests.Tools;
using k8s;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// The operator's operational endpoints on its HTTP port: Prometheus metrics of what it did, liveness,
/// and readiness that waits for the controller's caches.
/// </summary>
public sealed partial class OperationsTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private static Uri Url(OperatorOptions o, string path) => new($"http://localhost:{o.HttpPort}{path}");

    /// <summary>One sample of the Prometheus text exposition: name, labels, value.</summary>
    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)",?""")]
    private static partial Regex LabelPair();

    private static List<Sample> Parse(string exposition) =>
        [.. exposition.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => SampleLine().Match(line))
            .Where(m => m.Success)
            .Select(m => new Sample(
                m.Groups["name"].Value,
                LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups["key"].Value, p => p.Groups["value"].Value),
                double.Parse(m.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture)))];

    private static WebApp Hello() =>
        KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));

    [Fact]
    public async Task Metrics_show_reconciles_their_duration_api_requests_and_releases()
    {
        var o = await _cluster.StartOperatorAsync();
        await _cluster.CreateAsync(Hello());
        await TestCluster.EventuallyAsync(async () => (await _cluster.GetAsync("hello")).Status?.Release == 1, "release v1");

        var text = "";
        List<Sample> samples = [];
        await TestCluster.EventuallyAsync(async () =>
        {
            text = await _http.GetStringAsync(Url(o, "/metrics"));
            samples = Parse(text);
            return samples.Any(s => s.Name == "kuroku_releases_total");
        }, "the release counter in /metrics");

        // The operator's Meter is static: other operators in this test process add to the same series.
        double Value(string name, params (string Key, string Value)[] labels) =>
            samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

        text.Should().Contain("# TYPE kuroku_reconciles_total counter")
            .And.Contain("# TYPE kuroku_reconcile_duration_seconds histogram")
            .And.Contain("# TYPE kuroku_api_requests_total counter")
            .And.Contain("# TYPE kuroku_releases_total counter")
            .And.Contain("# TYPE kuroku_queue_depth gauge");
        Value("kuroku_reconciles_total", ("controller", "webapp"), ("result", "success")).Should().BeGreaterThanOrEqualTo(1);

        var reconciles = Value("kuroku_reconcile_duration_seconds_count", ("controller", "webapp"), ("result", "success"));
        reconciles.Should().BeGreaterThanOrEqualTo(1);
        Value("kuroku_reconcile_duration_seconds_bucket", ("controller", "webapp"), ("result", "success"), ("le", "+Inf")).Should().Be(reconciles);
        Value("kuroku_reconcile_duration_seconds_sum", ("controller", "webapp"), ("result", "success")).Should().BePositive();
        var bounds = samples.Where(s => s.Name == "kuroku_reconcile_duration_seconds_bucket").Select(s => s.Labels["le"]).Distinct().ToList();
        bounds.Should().Contain(["0.005", "0.1", "1", "10", "60", "+Inf"], "the buckets are in seconds");

        Value("kuroku_api_requests_total", ("verb", "create"), ("resource", "deployments.apps"), ("code", "201")).Should().BeGreaterThanOrEqualTo(1);
        Value("kuroku_api_requests_total", ("verb", "list"), ("resource", "webapps.kuroku.dev"), ("code", "200")).Should().BeGreaterThanOrEqualTo(1);
        Value("kuroku_api_requests_total", ("verb", "watch"), ("resource", "webapps.kuroku.dev"), ("code", "200")).Should().BeGreaterThanOrEqualTo(1);
        Value("kuroku_api_requests_total", ("verb", "update"), ("resource", "webapps.kuroku.dev/status"), ("code", "200")).Should().BeGreaterThanOrEqualTo(1);
        Value("kuroku_releases_total", ("result", "created")).Should().BeGreaterThanOrEqualTo(1);
        samples.Should().Contain(s => s.Name == "kuroku_leader" && s.Value == 1);
    }

    [Fact]
    public async Task Healthz_is_ok_while_the_process_runs()
    {
        var o = await _cluster.StartOperatorAsync();

        using var response = await _http.GetAsync(Url(o, "/healthz"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("ok");
    }

    [InProcessFact("fails the WebApp LIST with a fault hook to keep the controller's caches from syncing")]
    public async Task Readyz_waits_until_the_controller_caches_have_synced()
    {
        var server = _cluster.Server!;
        server.Faults.FailNext("list", "webapps", 1000, 500);
        var o = await _cluster.StartOperatorAsync();
        await TestCluster.EventuallyAsync(
            () => Task.FromResult(server.Requests.Entries.Any(e => e.Verb == "list" && e.Resource == "webapps" && e.StatusCode == 500)),
            "a failed list of webapps");

        using (var notReady = await _http.GetAsync(Url(o, "/readyz")))
        {
            notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await notReady.Content.ReadAsStringAsync()).Should().Be("controller caches not synced");
        }

        (await _http.GetAsync(Url(o, "/healthz"))).StatusCode.Should().Be(HttpStatusCode.OK, "liveness does not depend on the caches");

        server.Faults.Clear();
        await TestCluster.EventuallyAsync(async () =>
        {
            using var response = await _http.GetAsync(Url(o, "/readyz"));
            return response.StatusCode == HttpStatusCode.OK;
        }, "/readyz to answer 200 once the list succeeds");
    }
}
