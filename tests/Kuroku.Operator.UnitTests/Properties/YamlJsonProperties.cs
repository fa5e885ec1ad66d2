using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>The YAML reader and writer: nothing but YamlJsonException escapes, and what is written reads back the same.</summary>
public sealed class YamlJsonProperties
{
    [Fact]
    public void Any_json_object_written_as_yaml_reads_back_equal() =>
        Generators.Json.Select(node => (JsonNode)new JsonObject { ["value"] = node }).Sample(json =>
        {
            var yaml = YamlJson.ToYaml(json);
            var back = YamlJson.ParseDocuments(yaml).Single();
            JsonNode.DeepEquals(back, json).Should().BeTrue($"the YAML was\n{yaml}\nand read back as\n{back.ToJsonString()}");
        }, iter: Runs.Of(200), print: json => json.ToJsonString());

    [Fact]
    public void Arbitrary_text_is_read_or_refused_with_a_location() =>
        Generators.YamlishText.Sample(text =>
        {
            try
            {
                YamlJson.ParseDocuments(text);
            }
            catch (YamlJsonException e)
            {
                e.Line.Should().BeGreaterThan(0);
                e.Message.Should().StartWith($"line {e.Line}, column {e.Column}: ");
            }
        }, iter: Runs.Of(1000));

    [Fact]
    public void Every_plain_scalar_resolves_to_json_or_is_refused_naming_its_field() =>
        Gen.Frequency(
            (3, Gen.OneOf(Generators.HostileScalars)),
            (5, Gen.Char["0123456789+-._eExXoObB_abcfinINFnaNyYsS~:"].Array[1, 12].Select(c => new string(c)))).Sample(scalar =>
        {
            try
            {
                var value = YamlJson.ParseDocuments($"spec:\n  v: {scalar}\n").SingleOrDefault();
                _ = value?.ToJsonString();
            }
            catch (YamlJsonException e)
            {
                (e.Path is null || e.Path.StartsWith("spec", StringComparison.Ordinal)).Should().BeTrue(e.Message);
            }
        }, iter: Runs.Of(1000));

    [Fact]
    public void Go_json_floats_read_back_as_the_same_double() =>
        Gen.Double.Where(double.IsFinite).Sample(d =>
        {
            var text = YamlScalars.GoJsonFloat(d);
            double.Parse(text, CultureInfo.InvariantCulture).Should().Be(d, text);
            JsonNode.Parse(text).Should().NotBeNull();
        }, iter: Runs.Of(1000));
}
