using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace Kuroku.Operator.Serialization;

/// <summary>What a YAML scalar becomes, in the Go types that go-yaml v2 resolves it to.</summary>
internal enum ScalarType
{
    Null,
    Bool,

    /// <summary>A Go int/int64: JSON writes it in decimal.</summary>
    Int,

    /// <summary>A Go uint64 above int64's range.</summary>
    Uint,

    /// <summary>A Go *big.Int: an unsigned integer literal beyond 64 bits that no float reading took.</summary>
    BigInt,

    /// <summary>A Go float64, possibly infinite or NaN (which JSON cannot hold).</summary>
    Float,
    String,
}

/// <summary>A resolved scalar: its type and value (integers as decimal text, floats as a double).</summary>
internal readonly record struct ScalarValue(ScalarType Type, string Text, double Float = 0, bool Bool = false)
{
    public static readonly ScalarValue Null = new(ScalarType.Null, "");

    public static ScalarValue Of(string text) => new(ScalarType.String, text);

    /// <summary>The Go name of the type, as go-yaml's errors say it (<c>!!int</c>, <c>!!str</c>).</summary>
    public string ShortTag => Type switch
    {
        ScalarType.Null => "!!null",
        ScalarType.Bool => "!!bool",
        ScalarType.Int or ScalarType.Uint or ScalarType.BigInt => "!!int",
        ScalarType.Float => "!!float",
        _ => "!!str",
    };
}

/// <summary>
/// The resolution of plain (and tagged) scalars of go-yaml v2 — the YAML library under sigs.k8s.io/yaml,
/// which kubectl uses to turn YAML into JSON — and the JSON text Go writes for the result:
/// <list type="bullet">
/// <item><c>~</c>, <c>null</c>, empty: null. <c>y/yes/on/true</c> and <c>n/no/off/false</c> in three casings: booleans.</item>
/// <item><c>.inf</c>, <c>-.inf</c>, <c>.nan</c>: floats JSON cannot hold (kubectl: "json: unsupported value").</item>
/// <item>Integers in Go syntax with underscores dropped (<c>0x10</c>, <c>0o17</c>, <c>017</c>, <c>0b11</c>, <c>1_000</c>),
/// first as int64, then as uint64; then decimal floats (<c>1e3</c>, <c>.5</c>, <c>08</c>); a float out of range
/// (<c>1e400</c>) is no float, so it stays a string; an unsigned integer literal past 64 bits is a big integer.</item>
/// <item>Anything else, timestamps included, is a string.</item>
/// </list>
/// </summary>
internal static partial class YamlScalars
{
    private static readonly HashSet<string> TrueWords = new(StringComparer.Ordinal) { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" };
    private static readonly HashSet<string> FalseWords = new(StringComparer.Ordinal) { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" };
    private static readonly HashSet<string> NullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    public const string StrTag = "tag:yaml.org,2002:str";
    public const string NullTag = "tag:yaml.org,2002:null";
    public const string BoolTag = "tag:yaml.org,2002:bool";
    public const string IntTag = "tag:yaml.org,2002:int";
    public const string FloatTag = "tag:yaml.org,2002:float";
    public const string TimestampTag = "tag:yaml.org,2002:timestamp";
    public const string BinaryTag = "tag:yaml.org,2002:binary";

    // go-yaml's yamlStyleFloat, applied after underscores are removed.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();

    // What Go's ParseFloat takes from a text starting with '.': digits with single underscores between them.
    [GeneratedRegex(@"^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DotFloat();

    // YAML timestamps (the forms go-yaml's parseTimestamp tries): date, or date and time with optional zone.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    /// <summary>A plain scalar without a tag, resolved as go-yaml v2 does.</summary>
    public static ScalarValue ResolvePlain(string text)
    {
        if (NullWords.Contains(text))
        {
            return ScalarValue.Null;
        }

        if (TrueWords.Contains(text) || FalseWords.Contains(text))
        {
            return new ScalarValue(ScalarType.Bool, text, Bool: TrueWords.Contains(text));
        }

        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return new ScalarValue(ScalarType.Float, text, double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF":
                return new ScalarValue(ScalarType.Float, text, double.NegativeInfinity);
            case ".nan" or ".NaN" or ".NAN":
                return new ScalarValue(ScalarType.Float, text, double.NaN);
        }

        var first = text[0];
        if (first == '.')
        {
            return DotFloat().IsMatch(text) && TryParseFinite(text.Replace("_", "", StringComparison.Ordinal), out var dot)
                ? new ScalarValue(ScalarType.Float, text, dot)
                : ScalarValue.Of(text);
        }

        if (first is not ('+' or '-') && !char.IsAsciiDigit(first))
        {
            return ScalarValue.Of(text);
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        var integer = ParseGoInteger(plain, out var negative, out var value);
        if (integer && (negative ? value >= long.MinValue : value <= long.MaxValue))
        {
            return new ScalarValue(ScalarType.Int, value.ToString(CultureInfo.InvariantCulture));
        }

        var signed = plain[0] is '+' or '-';
        if (integer && !signed && value <= ulong.MaxValue)
        {
            return new ScalarValue(ScalarType.Uint, value.ToString(CultureInfo.InvariantCulture));
        }

        if (YamlStyleFloat().IsMatch(plain) && TryParseFinite(plain, out var number))
        {
            return new ScalarValue(ScalarType.Float, text, number);
        }

        // strconv.ParseUint said "out of range" (never with a sign): big.Int takes the literal whole.
        return integer && !signed
            ? new ScalarValue(ScalarType.BigInt, value.ToString(CultureInfo.InvariantCulture))
            : ScalarValue.Of(text);
    }

    /// <summary>
    /// A scalar with an explicit tag from the YAML 1.1 set (go-yaml's resolve with a tag): the plain
    /// resolution must give that type, except that an integer is a fine <c>!!float</c>.
    /// </summary>
    /// <returns>The value, or null with <paramref name="error"/> set (go-yaml's words).</returns>
    public static ScalarValue? ResolveTagged(string tag, string text, out string? error)
    {
        error = null;
        switch (tag)
        {
            case StrTag:
                return ScalarValue.Of(text);
            case BinaryTag:
                try
                {
                    return ScalarValue.Of(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
                }
                catch (FormatException)
                {
                    error = "!!binary value contains invalid base64 data";
                    return null;
                }

            case TimestampTag:
                if (Timestamp().IsMatch(text))
                {
                    return ScalarValue.Of(text);
                }

                break;
            case NullTag or BoolTag or IntTag or FloatTag:
                var resolved = ResolvePlain(text);
                var wanted = tag[(tag.LastIndexOf(':') + 1)..];
                if (resolved.ShortTag == "!!" + wanted)
                {
                    return resolved;
                }

                if (tag == FloatTag && resolved.Type == ScalarType.Int)
                {
                    return new ScalarValue(ScalarType.Float, text, double.Parse(resolved.Text, CultureInfo.InvariantCulture));
                }

                break;
            default:
                // Tags go-yaml does not resolve ("!", "!custom", "!!map" on a scalar): the text.
                return ScalarValue.Of(text);
        }

        error = $"cannot decode {ResolvePlain(text).ShortTag} `{text}` as a !!{tag[(tag.LastIndexOf(':') + 1)..]}";
        return null;
    }

    /// <summary>
    /// The JSON field name sigs.k8s.io/yaml makes of a resolved mapping key: strings as they are, ints in
    /// decimal, booleans as true/false, floats as Go's %g of the float32; null, uint64 and big integer
    /// keys have no name (kubectl: "unsupported map key").
    /// </summary>
    public static string? KeyName(ScalarValue key) => key.Type switch
    {
        ScalarType.String => key.Text,
        ScalarType.Int => key.Text,
        ScalarType.Bool => key.Bool ? "true" : "false",
        ScalarType.Float => double.IsNaN(key.Float) ? ".nan"
            : double.IsPositiveInfinity(key.Float) ? ".inf"
            : double.IsNegativeInfinity(key.Float) ? "-.inf"
            : GoFormatFloat32General((float)key.Float),
        _ => null,
    };

    /// <summary>
    /// The JSON text Go's encoding/json writes for a float64: the shortest digits, in plain notation
    /// unless the magnitude is below 1e-6 or at least 1e21 (then <c>1e+21</c>, <c>1.5e-7</c>).
    /// </summary>
    public static string GoJsonFloat(double value)
    {
        var (negative, digits, point) = ShortestDigits(value.ToString("R", CultureInfo.InvariantCulture));
        var sign = negative ? "-" : "";
        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var exponent = point - 1;
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent).ToString(exponent is > -10 and < 0 ? "0" : "00", CultureInfo.InvariantCulture)}";
        }

        return sign + Plain(digits, point);
    }

    /// <summary>A quick test for text that some YAML reader (1.1 or 1.2) may take for a number, even one out of range.</summary>
    public static bool LooksNumeric(string text) => NumberLike().IsMatch(text);

    [GeneratedRegex(@"^[-+]?(\.[0-9][0-9_]*|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?0[xXoObB][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLike();

    private static bool TryParseFinite(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    // strconv.ParseInt(s, 0, 64)'s syntax without its range: optional sign, then 0b/0o/0x (any case) or a
    // leading 0 for octal, or decimal. Underscores were removed before.
    private static bool ParseGoInteger(string s, out bool negative, out BigInteger value)
    {
        value = BigInteger.Zero;
        negative = s.StartsWith('-');
        var body = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        if (body.Length == 0)
        {
            return false;
        }

        var radix = 10;
        if (body[0] == '0')
        {
            if (body.Length >= 3 && char.ToLowerInvariant(body[1]) is 'b' or 'o' or 'x')
            {
                radix = char.ToLowerInvariant(body[1]) switch { 'b' => 2, 'o' => 8, _ => 16 };
                body = body[2..];
            }
            else
            {
                radix = 8;
                body = body[1..];
            }
        }

        foreach (var c in body)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0'
                : char.IsAsciiLetterLower(c) ? c - 'a' + 10
                : char.IsAsciiLetterUpper(c) ? c - 'A' + 10
                : 99;
            if (digit >= radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }

    // Go's strconv.FormatFloat(f, 'g', -1, 32): %e when the exponent is below -4 or at least 6 (with the
    // shortest digits), else plain.
    private static string GoFormatFloat32General(float value)
    {
        var (negative, digits, point) = ShortestDigits(value.ToString("R", CultureInfo.InvariantCulture));
        var sign = negative ? "-" : "";
        if (digits == "0")
        {
            return sign + "0";
        }

        var exponent = point - 1;
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
        }

        return sign + Plain(digits, point);
    }

    private static string Plain(string digits, int point) =>
        digits == "0" ? "0"
        : point <= 0 ? "0." + new string('0', -point) + digits
        : point >= digits.Length ? digits + new string('0', point - digits.Length)
        : digits[..point] + "." + digits[point..];

    // .NET's shortest round-trip text ("1.5E-07", "123.45", "-0") as (sign, significant digits, position of
    // the decimal point relative to the first digit).
    private static (bool Negative, string Digits, int Point) ShortestDigits(string text)
    {
        var negative = text.StartsWith('-');
        text = text.TrimStart('-');
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        var all = integerPart + fraction;
        var point = integerPart.Length + exponent;
        var leading = all.Length - all.TrimStart('0').Length;
        all = all.TrimStart('0').TrimEnd('0');
        return all.Length == 0 ? (negative, "0", 1) : (negative, all, point - leading);
    }
}
