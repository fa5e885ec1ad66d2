using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.Render;

/// <summary>Every object `render` prints passes the official Kubernetes schemas (npm kubernetes-models).</summary>
public sealed class RenderedObjectsPassTheKubernetesSchemaTests
{
    public static TheoryData<string, string> Variants => new()
    {
        { "minimal.yaml", "" },
        { "webapp.yaml", "" },
        { "webapp.yaml", "maintenance" },
        { "webapp.yaml", "tls-secret" },
        { "minimal.yaml", "default-domain" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_rendered_object_is_valid_against_the_official_schema(string example, string variant)
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(SchemaCheck.RepositoryRoot, "examples", example));
        yaml = variant switch
        {
            "maintenance" => yaml.Replace("maintenance: false", "maintenance: true", StringComparison.Ordinal),
            "tls-secret" => yaml.Replace("clusterIssuer: letsencrypt-prod", "secretName: shop-tls", StringComparison.Ordinal),
            _ => yaml,
        };
        var options = new OperatorOptions { DefaultDomain = variant == "default-domain" ? "apps.example.com" : null };

        var rendered = RenderCommand.Render(yaml, options);
        rendered.Errors.Should().BeEmpty();

        var result = await SchemaCheck.ValidateAsync(rendered.Yaml);
        result.IsValid.Should().BeTrue(result.Describe());
        result.Skipped.Should().BeEmpty("every object render prints is a built-in Kubernetes kind");
        result.Objects.Should().HaveCountGreaterThanOrEqualTo(example == "webapp.yaml" ? 8 : 3);
    }
}
