using System.Reflection;
using System.Text.Json.Serialization;
using Kuroku.Operator.Crds;

namespace Kuroku.Operator.UnitTests.Crds;

public sealed class KubernetesRequiredFieldsTests
{
    public static TheoryData<Type> Types => [.. KubernetesRequiredFields.KnownTypes];

    // KubernetesClient's generator makes a value-typed property non-nullable exactly when the OpenAPI
    // definition lists it as required: the one signal the models carry must agree with the table.
    [Theory]
    [MemberData(nameof(Types))]
    public void Non_nullable_value_properties_of_a_model_are_in_its_required_list(Type type)
    {
        var nonNullable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsValueType && Nullable.GetUnderlyingType(p.PropertyType) is null)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name);

        nonNullable.Except(KubernetesRequiredFields.For(type)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Required_names_are_json_properties_of_the_model(Type type)
    {
        var names = type.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name);

        KubernetesRequiredFields.For(type).Except(names).Should().BeEmpty();
    }
}
