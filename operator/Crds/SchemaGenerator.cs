using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kuroku.Api.Schema;
using k8s.Models;

namespace Kuroku.Operator.Crds;

/// <summary>
/// Builds structural OpenAPI v3 schemas from C# types by reflection, in the spirit of KubeOps'
/// transpiler: the C# types are the one source of truth. Property names come from
/// <see cref="JsonPropertyNameAttribute"/>, descriptions from the XML documentation, and the facts the
/// type system cannot carry from the attributes in <c>Api/Schema</c>. Kubernetes models embedded in the
/// API take their required fields from <see cref="KubernetesRequiredFields"/>.
/// </summary>
public sealed class SchemaGenerator
{
    /// <summary>
    /// The pattern Kubernetes gives every resource.Quantity in a CRD (as controller-gen does), so that
    /// the API server refuses "2 gigs" by itself.
    /// </summary>
    public const string QuantityPattern =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    private readonly Func<Assembly, XmlDocumentation?> _documentation;
    private readonly Dictionary<Assembly, XmlDocumentation?> _loaded = [];
    private readonly Stack<Type> _visiting = new();

    /// <param name="documentation">
    /// Where the descriptions come from, per assembly; null means no descriptions. The default reads the
    /// XML file next to each assembly.
    /// </param>
    public SchemaGenerator(Func<Assembly, XmlDocumentation?>? documentation = null)
    {
        _documentation = documentation ?? XmlDocumentation.For;
    }

    /// <summary>The schema of a type (no description of its own; a property's description goes on its use).</summary>
    public V1JSONSchemaProps SchemaFor(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return new V1JSONSchemaProps { Type = "number", Format = type == typeof(float) ? "float" : "double" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type == typeof(byte[]))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "byte" };
        }

        if (type == typeof(IntOrString))
        {
            return new V1JSONSchemaProps
            {
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
                XKubernetesIntOrString = true,
            };
        }

        if (type == typeof(ResourceQuantity))
        {
            return new V1JSONSchemaProps
            {
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
                Pattern = QuantityPattern,
                XKubernetesIntOrString = true,
            };
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps { Type = "string", EnumProperty = [.. Enum.GetNames(type)] };
        }

        if (type == typeof(object) || typeof(JsonNode).IsAssignableFrom(type))
        {
            return new V1JSONSchemaProps { XKubernetesPreserveUnknownFields = true };
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = SchemaFor(valueType) };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = SchemaFor(itemType) };
        }

        if (type.IsClass && !type.IsAbstract)
        {
            return ObjectSchema(type);
        }

        throw new NotSupportedException($"no OpenAPI mapping for the C# type {type.FullName}");
    }

    private V1JSONSchemaProps ObjectSchema(Type type)
    {
        if (_visiting.Contains(type))
        {
            throw new NotSupportedException($"the type {type.FullName} refers to itself; structural schemas cannot recurse");
        }

        _visiting.Push(type);
        try
        {
            var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
            var required = new SortedSet<string>(StringComparer.Ordinal);
            if (KubernetesRequiredFields.IsKubernetesModel(type))
            {
                required.UnionWith(KubernetesRequiredFields.For(type));
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
                {
                    continue;
                }

                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicyCamelCase(property.Name);
                properties[name] = PropertySchema(property);
                if (property.GetCustomAttribute<RequiredFieldAttribute>() is not null)
                {
                    required.Add(name);
                }
            }

            var schema = new V1JSONSchemaProps
            {
                Type = "object",
                Description = Description(type),
                Properties = properties,
                Required = required.Count > 0 ? [.. required] : null,
            };
            AddCelRules(schema, type.GetCustomAttributes<CelRuleAttribute>());
            return schema;
        }
        finally
        {
            _visiting.Pop();
        }
    }

    private V1JSONSchemaProps PropertySchema(PropertyInfo property)
    {
        var schema = SchemaFor(property.PropertyType);
        schema.Description = Description(property) ?? schema.Description;

        // String facts on a list of strings hold for each item.
        var stringTarget = schema.Type == "array" && schema.Items is V1JSONSchemaProps { Type: "string" } items ? items : schema;

        if (property.GetCustomAttribute<DefaultValueJsonAttribute>() is { } defaultValue)
        {
            schema.DefaultProperty = JsonNode.Parse(defaultValue.Json)
                ?? throw new InvalidOperationException($"the default of {property.DeclaringType!.Name}.{property.Name} is null");
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema.Minimum = range.Minimum;
            schema.Maximum = range.Maximum;
        }

        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            schema.Minimum = minimum.Minimum;
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            stringTarget.Pattern = pattern.Pattern;
        }

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            stringTarget.MinLength = length.MinLength;
            stringTarget.MaxLength = length.MaxLength == int.MaxValue ? null : length.MaxLength;
        }

        if (property.GetCustomAttribute<EnumValuesAttribute>() is { } values)
        {
            stringTarget.EnumProperty = [.. values.Values];
        }

        if (property.GetCustomAttribute<ItemsAttribute>() is { } count)
        {
            long? max = count.MaxItems == int.MaxValue ? null : count.MaxItems;
            if (schema.Type == "array")
            {
                schema.MinItems = count.MinItems;
                schema.MaxItems = max;
            }
            else
            {
                schema.MinProperties = count.MinItems;
                schema.MaxProperties = max;
            }
        }

        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } keys)
        {
            schema.XKubernetesListType = "map";
            schema.XKubernetesListMapKeys = [.. keys.Keys];
        }

        if (property.GetCustomAttribute<ListSetAttribute>() is not null)
        {
            schema.XKubernetesListType = "set";
        }

        AddCelRules(schema, property.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static void AddCelRules(V1JSONSchemaProps schema, IEnumerable<CelRuleAttribute> rules)
    {
        foreach (var rule in rules)
        {
            schema.XKubernetesValidations ??= [];
            schema.XKubernetesValidations.Add(new V1ValidationRule
            {
                Rule = rule.Rule,
                Message = rule.Message,
                FieldPath = rule.FieldPath,
            });
        }
    }

    private string? Description(PropertyInfo property) => Documentation(property.DeclaringType!.Assembly)?.Summary(property);

    private string? Description(Type type) => Documentation(type.Assembly)?.Summary(type);

    private XmlDocumentation? Documentation(Assembly assembly)
    {
        if (!_loaded.TryGetValue(assembly, out var documentation))
        {
            documentation = _documentation(assembly);
            _loaded[assembly] = documentation;
        }

        return documentation;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is null)
        {
            return null;
        }

        var arguments = dictionary.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new NotSupportedException($"map keys must be strings, not {arguments[0].Name}");
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static string JsonNamingPolicyCamelCase(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
