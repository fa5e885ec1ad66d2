using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.Render;

/// <summary>
/// A sample of the property tests' inputs against the official schemas: the example with the scalars
/// YAML readers disagree on put where a user types strings (command arguments, env values, the
/// release command). What render accepts, it prints as objects that pass kubernetes-models' checks.
/// </summary>
public sealed class HostileScalarsRenderValidObjectsTests
{
    private static readonly string[] Scalars =
    [
        "1e400", "-1e400", "0x10", "0o17", "017", "08", "1_000", ".5", "1e21", "9223372036854775808", "~", "yes", "off",
        "2001-12-14", "1:20", "<<", "\"\\0nul\"", "'.inf'", "\"1e400\"", "!!str 12", "!!binary aGVsbG8=", "\"\\u2028\"", "\"a\\tb\"",
    ];

    [Fact]
    public async Task Every_object_render_prints_for_hostile_scalars_passes_the_official_schema()
    {
        const int seed = 13;
        var random = new Random(seed);
        var example = await File.ReadAllTextAsync(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "webapp.yaml"));
        var rendered = new List<string>();
        var refused = 0;
        for (var i = 0; i < 24; i++)
        {
            // One place a user types a string, one scalar: many (numbers, booleans) are refused for the type.
            var scalar = Scalars[random.Next(Scalars.Length)];
            var yaml = (i % 3) switch
            {
                0 => example.Replace("\"--bind\"", scalar, StringComparison.Ordinal),
                1 => example.Replace("value: shop.settings", "value: " + scalar, StringComparison.Ordinal),
                _ => example.Replace("\"migrate\"", scalar, StringComparison.Ordinal),
            };
            yaml = yaml.Replace("  name: shop\n", $"  name: shop{i}\n", StringComparison.Ordinal); // one app per case
            var result = RenderCommand.Render(yaml, new OperatorOptions { DefaultDomain = "apps.example.com" });
            if (result.Errors.Count == 0)
            {
                rendered.Add(result.Yaml);
            }
            else
            {
                refused++;
                result.Errors.Should().OnlyContain(e => e.StartsWith("spec.", StringComparison.Ordinal), $"seed {seed}, case {i}");
            }
        }

        rendered.Should().HaveCountGreaterThan(5, $"strings such as 1e400 render (seed {seed}, {refused} refused)");
        var check = await SchemaCheck.ValidateAsync(string.Join("---\n", rendered));
        check.IsValid.Should().BeTrue(check.Describe());
        check.Skipped.Should().BeEmpty();
    }
}
