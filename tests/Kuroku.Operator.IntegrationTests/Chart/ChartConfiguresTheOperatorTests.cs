using Kuroku.Operator.Cli;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Chart;

/// <summary>The environment the chart gives the operator is one the operator's own option parser accepts.</summary>
public sealed class ChartConfiguresTheOperatorTests
{
    public static TheoryData<int, string> Scenarios => ChartScenario.WithEveryHelm();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_operator_accepts_every_setting_the_chart_passes(int helm, string scenario)
    {
        var objects = await HelmChart.RenderObjectsAsync(helm, ChartScenario.All[scenario]);
        var container = objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        var environment = container.Env
            .Where(e => e.Value is not null)
            .ToDictionary(e => e.Name, e => (string?)e.Value, StringComparer.Ordinal);
        environment["KUBERNETES_SERVICE_HOST"] = "10.0.0.1";     // as in a pod
        environment["POD_NAMESPACE"] = "kuroku-system";          // from the downward API
        environment["POD_NAME"] = "kuroku-0";

        container.Args.Should().Equal("run");
        var (options, errors) = OptionsParser.Parse([], environment);

        errors.Should().BeEmpty();
        options!.LeaderElection.Should().BeTrue();
        options.WebhookPort.Should().Be(container.Ports.Single(p => p.Name == "webhook").ContainerPort);
        options.HttpPort.Should().Be(container.Ports.Single(p => p.Name == "http").ContainerPort);
        options.Namespace.Should().Be(scenario == "watchNamespace" ? "shop" : null);
        options.WebhookCertManager.Should().Be(scenario == "certManager");
        options.WebhookServiceName.Should().NotBeNullOrEmpty();
        options.WebhookConfigurationName.Should().NotBeNullOrEmpty();
        container.Env.Select(e => e.Name).Where(n => n.StartsWith("KUROKU_", StringComparison.Ordinal))
            .Should().OnlyContain(n => OptionsParser.Usage.Contains(n, StringComparison.Ordinal), "every variable the chart sets is one the operator reads");
    }
}
