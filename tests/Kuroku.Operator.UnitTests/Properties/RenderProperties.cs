using System.Text.RegularExpressions;
using CsCheck;
using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>
/// render on generated WebApps and on YAML mutated from them: it returns (no exception escapes), either
/// YAML or errors and never both, names a field (or a line and column) in every error, and gives the
/// same answer twice. CI runs CsCheck's default 100 cases per property; see the README for longer runs.
/// </summary>
public sealed partial class RenderProperties
{
    private static readonly OperatorOptions Options = new() { DefaultDomain = "apps.example.com" };

    // "[document N: ]" then a field path of the WebApp, "<root>", a syntax error with its location, or the empty input.
    [GeneratedRegex(@"^(document \d+: )?((apiVersion|kind|metadata|spec|<root>)(\.|\[|:)|\S+: unknown field|invalid YAML: line \d+, column \d+: .+|the input holds no WebApp$)")]
    private static partial Regex ErrorLine();

    private static void AssertWellFormed(string yaml)
    {
        var result = RenderCommand.Render(yaml, Options);

        if (result.Errors.Count == 0)
        {
            result.Yaml.Should().NotBeEmpty();
            var objects = YamlJson.ParseDocuments(result.Yaml);
            objects.Should().NotBeEmpty().And.OnlyContain(o => o["apiVersion"] != null && o["kind"] != null && o["metadata"]!["name"] != null);
        }
        else
        {
            result.Yaml.Should().BeEmpty();
            result.Errors.Should().OnlyContain(e => ErrorLine().IsMatch(e), "every refusal names a field path or a location");
        }

        var again = RenderCommand.Render(yaml, Options);
        again.Yaml.Should().Be(result.Yaml, "rendering is deterministic");
        again.Errors.Should().Equal(result.Errors);
    }

    [Fact]
    public void Generated_webapps_render()
    {
        Generators.WebApp.Sample(app =>
        {
            var result = RenderCommand.Render(YamlJson.ToYaml(app), Options);
            result.Errors.Should().BeEmpty();
            AssertWellFormed(YamlJson.ToYaml(app));
        }, iter: Runs.Of(25), print: app => YamlJson.ToYaml(app));
    }

    [Fact]
    public void A_hostile_scalar_anywhere_is_rendered_or_refused_with_a_field_path() =>
        Generators.WebAppWithHostileScalar.Sample(AssertWellFormed, iter: Runs.Of(100));

    [Fact]
    public void Mutated_yaml_is_rendered_or_refused_with_a_field_path_or_location() =>
        Generators.MutatedYaml.Sample(AssertWellFormed, iter: Runs.Of(30));

    [Fact]
    public void Arbitrary_text_is_refused_or_rendered_never_thrown() =>
        Generators.YamlishText.Sample(AssertWellFormed, iter: Runs.Of(300));
}
