using FluentValidation;
using FluentValidation.Results;

namespace Kuroku.Api.Validation;

/// <summary>Small glue between FluentValidation and <see cref="FieldRule"/>.</summary>
internal static class RuleBuilderExtensions
{
    /// <summary>
    /// Names the rule's field as the user writes it (the JSON name, or "" for the object itself). The
    /// name joins the parent's path, so nested validators build the full path. Unlike
    /// OverridePropertyName it fits at the head of the chain, where the field is read.
    /// </summary>
    public static IRuleBuilderInitial<T, TProperty> At<T, TProperty>(this IRuleBuilderInitial<T, TProperty> builder, string path) =>
        builder.Configure(rule => rule.PropertyName = path);

    /// <inheritdoc cref="At{T, TProperty}(IRuleBuilderInitial{T, TProperty}, string)"/>
    public static IRuleBuilderInitialCollection<T, TElement> At<T, TElement>(this IRuleBuilderInitialCollection<T, TElement> builder, string path) =>
        builder.Configure(rule => rule.PropertyName = path);

    /// <summary>
    /// Checks every item of the list even when one fails. The validators stop at a field's first broken
    /// rule (RuleLevelCascadeMode Stop), and for a collection rule that would also skip the remaining
    /// items; all failures are wanted at once. Rules over items must therefore not depend on each other.
    /// </summary>
    public static IRuleBuilderInitialCollection<T, TElement> EveryItem<T, TElement>(this IRuleBuilderInitialCollection<T, TElement> builder) =>
        builder.Cascade(CascadeMode.Continue);

    /// <summary>Gives the rule's code and message to the last validator of the chain.</summary>
    public static IRuleBuilderOptions<T, TProperty> Is<T, TProperty>(this IRuleBuilderOptions<T, TProperty> builder, FieldRule rule) =>
        builder.WithErrorCode(rule.Code).WithMessage(rule.Message);

    /// <summary>Adds a failure at an explicit field path (for rules that look across list items).</summary>
    public static void AddFailure<T>(this ValidationContext<T> context, string path, FieldRule rule) =>
        context.AddFailure(new ValidationFailure(path, rule.Message) { ErrorCode = rule.Code });

    /// <summary>Map entries in key order (ordinal), so failures come out in the same order for the same map.</summary>
    public static IEnumerable<KeyValuePair<string, TValue>> ByKey<TValue>(IDictionary<string, TValue>? map) =>
        map is null ? [] : map.OrderBy(entry => entry.Key, StringComparer.Ordinal);

    /// <summary>The path segment of a map entry: ".key" after the map's own path.</summary>
    public static string KeySegment<T, TValue>(T parent, IEnumerable<KeyValuePair<string, TValue>> map, KeyValuePair<string, TValue> entry, int index) =>
        "." + entry.Key;
}
