using System.Text.Json.Nodes;
using k8s.Models;
using Kuroku.Operator.Crds;

namespace Kuroku.Operator.UnitTests.Crds;

public sealed class SchemaGeneratorTypeMappingTests
{
    private static readonly SchemaGenerator Generator = new(_ => null);

    public static TheoryData<Type, string?, string?> Scalars => new()
    {
        { typeof(string), "string", null },
        { typeof(int), "integer", "int32" },
        { typeof(int?), "integer", "int32" },
        { typeof(long), "integer", "int64" },
        { typeof(long?), "integer", "int64" },
        { typeof(bool), "boolean", null },
        { typeof(bool?), "boolean", null },
        { typeof(double), "number", "double" },
        { typeof(DateTime), "string", "date-time" },
        { typeof(DateTime?), "string", "date-time" },
        { typeof(DateTimeOffset), "string", "date-time" },
        { typeof(byte[]), "string", "byte" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Scalar_types_map_to_OpenAPI_type_and_format(Type type, string? openApiType, string? format)
    {
        var schema = Generator.SchemaFor(type);

        schema.Type.Should().Be(openApiType);
        schema.Format.Should().Be(format);
    }

    [Theory]
    [InlineData(typeof(IList<string>))]
    [InlineData(typeof(List<string>))]
    [InlineData(typeof(string[]))]
    public void Lists_map_to_arrays_with_item_schema(Type type)
    {
        var schema = Generator.SchemaFor(type);

        schema.Type.Should().Be("array");
        schema.Items.Should().BeOfType<V1JSONSchemaProps>().Which.Type.Should().Be("string");
    }

    [Theory]
    [InlineData(typeof(IDictionary<string, int>), "integer")]
    [InlineData(typeof(Dictionary<string, string>), "string")]
    public void Maps_map_to_objects_with_additionalProperties(Type type, string valueType)
    {
        var schema = Generator.SchemaFor(type);

        schema.Type.Should().Be("object");
        schema.Properties.Should().BeNull();
        schema.AdditionalProperties.Should().BeOfType<V1JSONSchemaProps>().Which.Type.Should().Be(valueType);
    }

    [Theory]
    [InlineData(typeof(IntOrString))]
    [InlineData(typeof(ResourceQuantity))]
    public void IntOrString_and_Quantity_are_int_or_string(Type type)
    {
        var schema = Generator.SchemaFor(type);

        schema.Type.Should().BeNull();
        schema.XKubernetesIntOrString.Should().BeTrue();
        schema.AnyOf.Select(s => s.Type).Should().Equal("integer", "string");
    }

    [Fact]
    public void Quantity_carries_the_Kubernetes_quantity_pattern()
    {
        Generator.SchemaFor(typeof(ResourceQuantity)).Pattern.Should().Be(SchemaGenerator.QuantityPattern);
        Generator.SchemaFor(typeof(IntOrString)).Pattern.Should().BeNull();
    }

    [Fact]
    public void Free_form_values_preserve_unknown_fields()
    {
        Generator.SchemaFor(typeof(JsonNode)).XKubernetesPreserveUnknownFields.Should().BeTrue();
        Generator.SchemaFor(typeof(object)).XKubernetesPreserveUnknownFields.Should().BeTrue();
    }

    [Fact]
    public void Classes_map_to_objects_with_json_property_names_sorted()
    {
        var schema = Generator.SchemaFor(typeof(V1EnvVar));

        schema.Type.Should().Be("object");
        schema.Properties.Keys.Should().Equal("name", "value", "valueFrom");
        schema.Properties["valueFrom"].Properties.Keys.Should().Contain(["configMapKeyRef", "secretKeyRef"]);
    }

    [Fact]
    public void A_Kubernetes_model_without_known_required_fields_is_refused()
    {
        var act = () => Generator.SchemaFor(typeof(V1PodSpec));

        act.Should().Throw<NotSupportedException>().WithMessage("*V1PodSpec*KubernetesRequiredFields*");
    }
}
