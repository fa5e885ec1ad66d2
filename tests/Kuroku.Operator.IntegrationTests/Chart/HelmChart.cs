using k8s;
using k8s.Models;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.Chart;

/// <summary>One way of installing the chart: a name and the --set flags it passes.</summary>
public sealed record ChartScenario(string Name, IReadOnlyList<string> Sets, IReadOnlyList<string> CustomKinds)
{
    /// <summary>The scenarios every chart test runs: defaults and each optional feature.</summary>
    public static readonly IReadOnlyDictionary<string, ChartScenario> All = new[]
    {
        new ChartScenario("defaults", [], []),
        new ChartScenario("watchNamespace", ["watchNamespace=shop"], []),
        new ChartScenario("certManager", ["webhook.certManager.enabled=true"], ["Certificate", "Issuer"]),
        new ChartScenario("serviceMonitor", ["metrics.serviceMonitor.enabled=true"], ["ServiceMonitor"]),
    }.ToDictionary(s => s.Name);

    /// <summary>Every helm major version × every scenario, for [MemberData].</summary>
    public static TheoryData<int, string> WithEveryHelm()
    {
        var data = new TheoryData<int, string>();
        foreach (var helm in HelmChart.HelmVersions)
        {
            foreach (var name in All.Keys)
            {
                data.Add(helm, name);
            }
        }

        return data;
    }
}

/// <summary>Drives helm 3 and helm 4 (from tests/tools) against charts/kuroku.</summary>
public static class HelmChart
{
    public const string ReleaseName = "kuroku";
    public const string ReleaseNamespace = "kuroku-system";

    public static readonly IReadOnlyList<int> HelmVersions = [3, 4];

    /// <summary>The custom resources the chart may render, parsed loosely (their schema is not ours).</summary>
    private static readonly Dictionary<string, Type> CustomKinds = new()
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(Dictionary<object, object>),
        ["cert-manager.io/v1/Certificate"] = typeof(Dictionary<object, object>),
        ["cert-manager.io/v1/Issuer"] = typeof(Dictionary<object, object>),
    };

    public static string ChartDirectory => Path.Combine(SchemaCheck.RepositoryRoot, "charts", "kuroku");

    /// <summary>Runs helm <paramref name="majorVersion"/> with <paramref name="arguments"/>.</summary>
    public static Task<ProcessOutcome> RunAsync(int majorVersion, IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        ExternalProcess.RunAsync(SchemaCheck.HelmPath(majorVersion), arguments, null, SchemaCheck.RepositoryRoot, SchemaCheck.InstallHint, cancellationToken);

    /// <summary>`helm template` of the chart with --set <paramref name="sets"/>; the raw outcome, success or not.</summary>
    public static Task<ProcessOutcome> TemplateAsync(int majorVersion, IEnumerable<string> sets, CancellationToken cancellationToken = default) =>
        RunAsync(
            majorVersion,
            ["template", ReleaseName, ChartDirectory, "--namespace", ReleaseNamespace, .. sets.SelectMany(s => new[] { "--set", s })],
            cancellationToken);

    /// <summary>Renders <paramref name="scenario"/> and returns the YAML; fails the test when helm fails.</summary>
    public static async Task<string> RenderAsync(int majorVersion, ChartScenario scenario, CancellationToken cancellationToken = default)
    {
        var outcome = await TemplateAsync(majorVersion, scenario.Sets, cancellationToken);
        outcome.ExitCode.Should().Be(0, $"helm {majorVersion} template ({scenario.Name}) must succeed: {outcome}");
        return outcome.StandardOutput;
    }

    /// <summary>
    /// Parses rendered YAML into KubernetesClient models, strictly: a field the model does not know (a
    /// misspelled key in a template) throws.
    /// </summary>
    public static IReadOnlyList<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true);

    /// <summary>Renders and parses <paramref name="scenario"/>.</summary>
    public static async Task<IReadOnlyList<object>> RenderObjectsAsync(int majorVersion, ChartScenario scenario) =>
        Parse(await RenderAsync(majorVersion, scenario));

    /// <summary>The one object of type <typeparamref name="T"/>, asserting there is exactly one.</summary>
    public static T Single<T>(this IReadOnlyList<object> objects)
    {
        var matches = objects.OfType<T>().ToList();
        matches.Should().ContainSingle($"the chart renders exactly one {typeof(T).Name}");
        return matches[0];
    }

    /// <summary>The rules of every Role and ClusterRole, with the role they come from.</summary>
    public static IEnumerable<(string Role, V1PolicyRule Rule)> Rules(this IReadOnlyList<object> objects) =>
        objects.OfType<V1ClusterRole>().SelectMany(r => (r.Rules ?? []).Select(rule => ($"ClusterRole {r.Name()}", rule)))
            .Concat(objects.OfType<V1Role>().SelectMany(r => (r.Rules ?? []).Select(rule => ($"Role {r.Namespace()}/{r.Name()}", rule))));
}
