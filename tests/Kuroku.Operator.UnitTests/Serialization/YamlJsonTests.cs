using System.Text.Json.Nodes;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.UnitTests.Serialization;

public sealed class YamlJsonTests
{
    [Theory]
    [InlineData("v: 1", "1")]
    [InlineData("v: -12", "-12")]
    [InlineData("v: 0x1F", "31")]
    [InlineData("v: 1.5", "1.5")]
    [InlineData("v: true", "true")]
    [InlineData("v: False", "false")]
    [InlineData("v: yes", "true")]
    [InlineData("v: off", "false")]
    [InlineData("v: null", "null")]
    [InlineData("v: ~", "null")]
    [InlineData("v:", "null")]
    [InlineData("v: \"1\"", "\"1\"")]
    [InlineData("v: 'true'", "\"true\"")]
    [InlineData("v: !!str 8080", "\"8080\"")]
    [InlineData("v: 1.4.2", "\"1.4.2\"")]
    [InlineData("v: standard-1x", "\"standard-1x\"")]
    [InlineData("v: 2024-01-01", "\"2024-01-01\"")]
    [InlineData("v: [a, 1]", "[\"a\",1]")]
    [InlineData("v: {a: b}", "{\"a\":\"b\"}")]
    [InlineData("v: {y: 1, off: 2, 'on': 3}", "{\"true\":1,\"false\":2,\"on\":3}")]
    public void Scalars_resolve_as_kubectl_reads_them(string yaml, string json)
    {
        var document = YamlJson.ParseDocuments(yaml).Single();

        document["v"]?.ToJsonString().Should().Be(json == "null" ? null : json);
    }

    [Fact]
    public void Several_documents_are_read_in_order_and_empty_ones_skipped()
    {
        var documents = YamlJson.ParseDocuments("---\na: 1\n---\n# nothing\n---\nb: 2\n");

        documents.Select(d => d.ToJsonString()).Should().Equal("{\"a\":1}", "{\"b\":2}");
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_expanded()
    {
        var document = YamlJson.ParseDocuments("base: &b {x: 1, z: 2}\ncopy: *b\nmerged:\n  <<: *b\n  z: 3\n").Single();

        document["copy"]!.ToJsonString().Should().Be("{\"x\":1,\"z\":2}");
        document["merged"]!.ToJsonString().Should().Be("{\"z\":3,\"x\":1}");
    }

    [Theory]
    [InlineData("a: 1\na: 2\n", "a: mapping key \"a\" already defined at line 1")]
    [InlineData("a: [1\n", "line")]
    [InlineData("a: .inf\n", "a: Invalid value: .inf: JSON has no infinity or NaN")]
    public void Bad_yaml_is_refused_with_a_location(string yaml, string fragment)
    {
        var act = () => YamlJson.ParseDocuments(yaml);

        act.Should().Throw<YamlJsonException>().WithMessage($"*{fragment}*").WithMessage("line *");
    }

    [Fact]
    public void Writing_keeps_key_order_quotes_ambiguous_strings_and_reads_back_the_same()
    {
        var json = JsonNode.Parse("""
            {"kind":"X","apiVersion":"v1","data":{"port":"8080","flag":"true","on":"yes","empty":"","none":null,
             "text":"line one\nline two\n","date":"2024-01-01","int":3,"list":[],"map":{},"items":[{"a":1},"b"]}}
            """);

        var yaml = YamlJson.ToYaml(json);

        yaml.Should().StartWith("kind: X\napiVersion: v1\n");
        yaml.Should().Contain("port: \"8080\"").And.Contain("flag: \"true\"").And.Contain("\"on\": \"yes\"")
            .And.Contain("list: []").And.Contain("map: {}").And.Contain("text: |");
        JsonNode.DeepEquals(YamlJson.ParseDocuments(yaml).Single(), json).Should().BeTrue(yaml);
    }

    [Fact]
    public void Documents_are_separated_by_three_dashes()
    {
        var yaml = YamlJson.ToYamlDocuments([JsonNode.Parse("{\"a\":1}"), JsonNode.Parse("{\"b\":2}")]);

        yaml.Should().Be("a: 1\n---\nb: 2\n");
    }
}
