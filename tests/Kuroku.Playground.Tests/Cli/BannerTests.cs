using Kuroku.Playground.Cluster;

namespace Kuroku.Playground.Tests.Cli;

public sealed class BannerTests
{
    [Fact]
    public void It_says_where_everything_is_and_the_commands_to_try()
    {
        var options = new PlaygroundOptions { Simulation = new SimulationOptions { PodStartDelay = TimeSpan.FromSeconds(1.5), JobRunTime = TimeSpan.FromSeconds(3) } };

        var text = Banner.Text(new Uri("http://127.0.0.1:7443/"), "/home/u/.kube/kuroku-playground.yaml", new Uri("http://127.0.0.1:4000/"), options);

        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        lines.Should().Contain(l => l.StartsWith("API server   http://127.0.0.1:7443,", StringComparison.Ordinal));
        lines.Should().Contain("export KUBECONFIG=/home/u/.kube/kuroku-playground.yaml");
        lines.Should().Contain("kubectl apply -f examples/");
        lines.Should().Contain("kubectl wait --for=condition=Ready webapp --all -A");
        lines.Should().Contain("dotnet run --project plugin/Kuroku.Kubectl -- releases shop -n shop");
        text.Should().Contain("pods start in 1.5s, Jobs' pods run 3s").And.Contain("playground.kuroku.dev/fail-release=true").And.Contain("http://127.0.0.1:4000/metrics");
    }
}
