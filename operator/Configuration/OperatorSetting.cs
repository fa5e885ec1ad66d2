using System.Globalization;
using System.Text.RegularExpressions;

namespace Kuroku.Operator.Configuration;

/// <summary>
/// One setting of the operator, declared once: its flag, its environment variable, its default as help
/// shows it, the rule a value must meet and where a valid value goes in <see cref="OperatorOptions"/>.
/// <see cref="OperatorSettings"/> holds them all; `run` and `render` build their options from them.
/// </summary>
public sealed class OperatorSetting
{
    private readonly Func<OperatorOptions, string, OperatorOptions?> apply;

    private OperatorSetting(string flag, string? variable, string valueName, string description, string? defaultValue, string rule,
        Func<OperatorOptions, string, OperatorOptions?> apply)
    {
        Flag = flag;
        Variable = variable;
        ValueName = valueName;
        Description = description;
        Default = defaultValue;
        Rule = rule;
        this.apply = apply;
    }

    /// <summary>The flag, for example --workers.</summary>
    public string Flag { get; }

    /// <summary>The KUROKU_* environment variable that also carries it; null: only the flag.</summary>
    public string? Variable { get; }

    /// <summary>What help calls the value, for example N.</summary>
    public string ValueName { get; }

    public string Description { get; }

    /// <summary>The default, as help shows it; null: none.</summary>
    public string? Default { get; }

    /// <summary>What a value must be, completing "must be ...".</summary>
    public string Rule { get; }

    /// <summary>The options with this setting's value, or null when the value breaks <see cref="Rule"/>.</summary>
    public OperatorOptions? Apply(OperatorOptions options, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(value);
        return apply(options, value);
    }

    public override string ToString() => Flag;

    /// <summary>Any text but the empty one.</summary>
    public static OperatorSetting Text(string flag, string? variable, string valueName, string description, string? defaultValue, string what,
        Func<OperatorOptions, string, OperatorOptions> set) =>
        new(flag, variable, valueName, description, defaultValue, what, (o, v) => v.Length > 0 ? set(o, v) : null);

    /// <summary>Text that matches <paramref name="pattern"/>; <paramref name="what"/> says what in words.</summary>
    public static OperatorSetting Matching(string flag, string? variable, string valueName, string description, string? defaultValue,
        Regex pattern, string what, Func<OperatorOptions, string, OperatorOptions> set) =>
        new(flag, variable, valueName, description, defaultValue, what, (o, v) => pattern.IsMatch(v) ? set(o, v) : null);

    /// <summary>A whole number (digits only) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static OperatorSetting WholeNumber(string flag, string? variable, string valueName, string description, int defaultValue,
        int min, int max, Func<OperatorOptions, int, OperatorOptions> set) =>
        new(flag, variable, valueName, description, defaultValue.ToString(CultureInfo.InvariantCulture),
            max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"a whole number of {min} or more")
                : string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}"),
            (o, v) => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? set(o, n) : null);

    /// <summary>A finite number above zero: 200, 50.5, or 1e+06 (as Helm prints a large float).</summary>
    /// <summary>A rate: 0 (no limit), or a number above 0 (fractions allowed).</summary>
    public static OperatorSetting Rate(string flag, string? variable, string valueName, string description, double defaultValue,
        Func<OperatorOptions, double, OperatorOptions> set) =>
        new(flag, variable, valueName, description, defaultValue.ToString(CultureInfo.InvariantCulture), "0 (no limit) or a number above 0, such as 200 or 50.5",
            (o, v) => double.TryParse(v, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= 0
                ? set(o, n)
                : null);

    /// <summary>true or false (any case).</summary>
    public static OperatorSetting Boolean(string flag, string? variable, string description, string defaultValue,
        Func<OperatorOptions, bool, OperatorOptions> set) =>
        new(flag, variable, "true|false", description, defaultValue, "true or false",
            (o, v) => bool.TryParse(v, out var b) ? set(o, b) : null);
}
