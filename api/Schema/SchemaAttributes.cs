namespace Kuroku.Api.Schema;

// Attributes that carry the OpenAPI facts the C# type system cannot express. The CRD generator
// (Crds/) reads them; nothing else does. Keep every rule the API server can enforce by itself here,
// so the CRD, `kubectl explain` and the validators agree.

/// <summary>The property must be present (OpenAPI <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredFieldAttribute : Attribute;

/// <summary>The schema default, as a JSON literal (for example <c>"1"</c>, <c>"\"/\""</c>, <c>"false"</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultValueJsonAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>Inclusive numeric bounds.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(long minimum, long maximum) : Attribute
{
    public long Minimum { get; } = minimum;
    public long Maximum { get; } = maximum;
}

/// <summary>Inclusive lower bound only.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long minimum) : Attribute
{
    public long Minimum { get; } = minimum;
}

/// <summary>A regular expression (ECMA 262) the string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}

/// <summary>String length bounds.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(int minLength, int maxLength = int.MaxValue) : Attribute
{
    public int MinLength { get; } = minLength;
    public int MaxLength { get; } = maxLength;
}

/// <summary>Item or property count bounds for lists and maps.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute(int minItems, int maxItems = int.MaxValue) : Attribute
{
    public int MinItems { get; } = minItems;
    public int MaxItems { get; } = maxItems;
}

/// <summary>The closed set of values a string may take.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) on the object or property it is attached to.
/// <see cref="FieldPath"/> points the API server's error at a child field.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;
    public string? FieldPath { get; init; }
}

/// <summary>A list whose items are unique by the given keys (<c>x-kubernetes-list-type: map</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>A list of unique scalars (<c>x-kubernetes-list-type: set</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;
