using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kuroku.Api.Schema;
using Kuroku.Operator.Crds;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Crds;

public sealed class SchemaAttributeTests
{
    [CelRule("self.a != self.b", "a and b differ", FieldPath = ".a")]
    private sealed class Sample
    {
        [JsonPropertyName("required")]
        [RequiredField]
        public string Required { get; set; } = "";

        [JsonPropertyName("defaulted")]
        [DefaultValueJson("\"x\"")]
        public string? Defaulted { get; set; }

        [JsonPropertyName("ranged")]
        [Range(1, 10)]
        public int Ranged { get; set; }

        [JsonPropertyName("minimum")]
        [Minimum(0)]
        public long Minimum { get; set; }

        [JsonPropertyName("patterned")]
        [Pattern("^/")]
        [Length(1, 20)]
        public string? Patterned { get; set; }

        [JsonPropertyName("unbounded")]
        [Length(3)]
        public string? Unbounded { get; set; }

        [JsonPropertyName("list")]
        [Items(1, 5)]
        [ListSet]
        [Pattern("^[a-z]+$")]
        public IList<string>? List { get; set; }

        [JsonPropertyName("map")]
        [Items(2)]
        [CelRule("self.all(k, size(k) < 5)", "short keys")]
        public IDictionary<string, int>? Map { get; set; }

        [JsonPropertyName("choice")]
        [EnumValues("one", "two")]
        public string? Choice { get; set; }

        [JsonPropertyName("env")]
        [ListMapKeys("name")]
        public IList<V1EnvVar>? Env { get; set; }

        [JsonIgnore]
        public string? Ignored { get; set; }
    }

    private static readonly V1JSONSchemaProps Schema = new SchemaGenerator(_ => null).SchemaFor(typeof(Sample));

    private static V1JSONSchemaProps Property(string name) => Schema.Properties[name];

    [Fact]
    public void RequiredField_lists_the_property_as_required() =>
        Schema.Required.Should().Equal("required");

    [Fact]
    public void DefaultValueJson_becomes_the_parsed_default() =>
        JsonNode.DeepEquals((JsonNode)Property("defaulted").DefaultProperty, JsonValue.Create("x")).Should().BeTrue();

    [Fact]
    public void Range_and_Minimum_become_bounds()
    {
        Property("ranged").Minimum.Should().Be(1);
        Property("ranged").Maximum.Should().Be(10);
        Property("minimum").Minimum.Should().Be(0);
        Property("minimum").Maximum.Should().BeNull();
    }

    [Fact]
    public void Pattern_and_Length_apply_to_strings()
    {
        Property("patterned").Pattern.Should().Be("^/");
        Property("patterned").MinLength.Should().Be(1);
        Property("patterned").MaxLength.Should().Be(20);
        Property("unbounded").MinLength.Should().Be(3);
        Property("unbounded").MaxLength.Should().BeNull();
    }

    [Fact]
    public void Items_bounds_a_list_and_string_facts_on_a_list_apply_to_its_items()
    {
        var list = Property("list");
        list.MinItems.Should().Be(1);
        list.MaxItems.Should().Be(5);
        list.XKubernetesListType.Should().Be("set");
        list.Pattern.Should().BeNull();
        ((V1JSONSchemaProps)list.Items).Pattern.Should().Be("^[a-z]+$");
    }

    [Fact]
    public void Items_bounds_a_map_by_property_count()
    {
        Property("map").MinProperties.Should().Be(2);
        Property("map").MaxProperties.Should().BeNull();
        Property("map").MinItems.Should().BeNull();
    }

    [Fact]
    public void EnumValues_becomes_enum() =>
        Property("choice").EnumProperty.Should().Equal("one", "two");

    [Fact]
    public void ListMapKeys_makes_a_list_map()
    {
        Property("env").XKubernetesListType.Should().Be("map");
        Property("env").XKubernetesListMapKeys.Should().Equal("name");
    }

    [Fact]
    public void CelRule_on_a_class_and_on_a_property_become_validations()
    {
        Schema.XKubernetesValidations.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new V1ValidationRule { Rule = "self.a != self.b", Message = "a and b differ", FieldPath = ".a" });
        Property("map").XKubernetesValidations.Should().ContainSingle().Which.Rule.Should().Be("self.all(k, size(k) < 5)");
    }

    [Fact]
    public void JsonIgnore_properties_are_left_out() =>
        Schema.Properties.Keys.Should().NotContain(["ignored", "Ignored"]);
}
