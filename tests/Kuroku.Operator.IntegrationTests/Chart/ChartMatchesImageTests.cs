using k8s.Models;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.Chart;

/// <summary>No engine runs here: these pin what the chart assumes about the image built by the Dockerfile.</summary>
public sealed class ChartMatchesImageTests
{
    private static async Task<IReadOnlyList<string>> DockerfileInstructionsAsync() =>
        [.. (await File.ReadAllLinesAsync(Path.Combine(SchemaCheck.RepositoryRoot, "Dockerfile")))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Fact]
    public async Task The_image_runs_as_the_non_root_user_the_pod_security_context_names()
    {
        var instructions = await DockerfileInstructionsAsync();
        var objects = await HelmChart.RenderObjectsAsync(4, ChartScenario.All["defaults"]);
        var finalStage = instructions.SkipWhile(l => l != instructions.Last(i => i.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

        var user = finalStage.Single(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();

        long.TryParse(user, out var uid).Should().BeTrue("a numeric USER lets the kubelet check runAsNonRoot");
        uid.Should().BeGreaterThan(0);
        objects.Single<V1Deployment>().Spec.Template.Spec.SecurityContext.RunAsUser.Should().Be(uid);
    }

    [Fact]
    public async Task The_image_is_built_with_the_SDK_and_runs_on_the_runtime_image_alone()
    {
        var instructions = await DockerfileInstructionsAsync();

        var stages = instructions.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        stages.Should().HaveCountGreaterThanOrEqualTo(2);
        stages[0].Should().Contain("dotnet/sdk:");
        stages[^1].Should().Contain("dotnet/aspnet:").And.NotContain("sdk");
        instructions.Should().Contain(l => l.StartsWith("COPY --from=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_chart_starts_the_controller_through_the_images_entry_point()
    {
        var instructions = await DockerfileInstructionsAsync();
        var objects = await HelmChart.RenderObjectsAsync(3, ChartScenario.All["defaults"]);
        var container = objects.Single<V1Deployment>().Spec.Template.Spec.Containers[0];

        instructions.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))
            .Should().Be("""ENTRYPOINT ["dotnet", "/app/Kuroku.Operator.dll"]""");
        instructions.Single(l => l.StartsWith("CMD ", StringComparison.Ordinal)).Should().Be("""CMD ["run"]""");
        container.Command.Should().BeNullOrEmpty("the image's entry point runs the operator");
        container.Args.Should().Equal("run");
    }
}
