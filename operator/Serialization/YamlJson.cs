using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kuroku.Operator.Serialization;

/// <summary>Thrown when YAML text cannot become JSON; the message names the line and column.</summary>
public sealed class YamlJsonException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// YAML to JSON and back, as kubectl does it. Plain scalars resolve the YAML 1.1 way of the Go YAML
/// library under sigs.k8s.io/yaml (so <c>yes</c> and <c>on</c> are booleans there too, and render
/// refuses them where a string is expected, as the API server would); quoted scalars stay strings.
/// The writer emits block YAML with the keys in the order of the JSON, quotes every string that would
/// read back as something else, and writes multi-line strings as literal blocks.
/// </summary>
public static partial class YamlJson
{
    /// <summary>Every non-empty document of a YAML stream, as JSON.</summary>
    /// <exception cref="YamlJsonException">The text is not YAML, has duplicate keys or values JSON cannot hold.</exception>
    public static IReadOnlyList<JsonNode> ParseDocuments(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = new List<JsonNode>();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                var node = ReadNode(parser, anchors);
                parser.Consume<DocumentEnd>();
                if (node is not null)
                {
                    documents.Add(node);
                }
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw new YamlJsonException($"line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        return documents;
    }

    /// <summary>One JSON value as a YAML document (no leading <c>---</c>), ending with a newline.</summary>
    public static string ToYaml(JsonNode? node)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, 2, 100);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Write(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <summary>Several JSON values as one multi-document YAML stream, separated by <c>---</c>.</summary>
    public static string ToYamlDocuments(IEnumerable<JsonNode?> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            if (text.Length > 0)
            {
                text.Append("---\n");
            }

            text.Append(ToYaml(node));
        }

        return text.ToString();
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target?.DeepClone()
                : throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
        }

        JsonNode? node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = ResolveScalar(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            anchor = sequence.Anchor;
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, anchors));
            }

            node = array;
        }
        else
        {
            var mapping = parser.Consume<MappingStart>();
            anchor = mapping.Anchor;
            node = ReadMapping(parser, anchors);
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static JsonObject ReadMapping(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        var result = new JsonObject();
        var merged = new List<JsonObject>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            // A key is its text: JSON keys are strings, so "y" or "on" stay what they say.
            var keyEvent = parser.Current;
            var name = parser.TryConsume<Scalar>(out var keyScalar)
                ? keyScalar.Value
                : throw new YamlException(keyEvent!.Start, keyEvent.End, "mapping keys must be scalars");
            var value = ReadNode(parser, anchors);
            if (name == "<<" && keyEvent is Scalar { Style: ScalarStyle.Plain })
            {
                merged.AddRange(value switch
                {
                    JsonObject one => [one],
                    JsonArray many => many.OfType<JsonObject>(),
                    _ => throw new YamlException(keyEvent.Start, keyEvent.End, "a merge key (<<) takes a mapping or a list of mappings"),
                });
                continue;
            }

            if (result.ContainsKey(name))
            {
                throw new YamlException(keyEvent!.Start, keyEvent.End, $"duplicate key \"{name}\"");
            }

            result[name] = value;
        }

        foreach (var source in merged)
        {
            foreach (var (name, value) in source)
            {
                if (!result.ContainsKey(name))
                {
                    result[name] = value?.DeepClone();
                }
            }
        }

        return result;
    }

    private static JsonNode? ResolveScalar(Scalar scalar)
    {
        var text = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str":
                return JsonValue.Create(text);
            case "tag:yaml.org,2002:null":
                return null;
            case null or "!" when scalar.Style is not ScalarStyle.Plain:
                return JsonValue.Create(text);
            case null:
            case "tag:yaml.org,2002:int" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:float":
                var resolved = ResolvePlain(text, out var node);
                if (tag is not null && resolved == PlainKind.String)
                {
                    throw new YamlException(scalar.Start, scalar.End, $"\"{text}\" is not a valid {tag[(tag.LastIndexOf(':') + 1)..]}");
                }

                if (resolved == PlainKind.NotJson)
                {
                    throw new YamlException(scalar.Start, scalar.End, $"{text} cannot be represented in JSON");
                }

                return node;
            default:
                return JsonValue.Create(text);
        }
    }

    private enum PlainKind
    {
        String,
        Null,
        Boolean,
        Number,
        NotJson,
    }

    private static readonly HashSet<string> TrueWords = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> FalseWords = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> NullWords = ["", "~", "null", "Null", "NULL"];

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?0(x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+|[0-7_]+)$")]
    private static partial Regex PrefixedInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex NotJsonFloat();

    private static PlainKind ResolvePlain(string text, out JsonNode? node)
    {
        node = null;
        if (NullWords.Contains(text))
        {
            return PlainKind.Null;
        }

        if (TrueWords.Contains(text) || FalseWords.Contains(text))
        {
            node = JsonValue.Create(TrueWords.Contains(text));
            return PlainKind.Boolean;
        }

        if (DecimalInteger().IsMatch(text) && long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            node = JsonValue.Create(integer);
            return PlainKind.Number;
        }

        if (PrefixedInteger().IsMatch(text) && ParsePrefixed(text) is { } prefixed)
        {
            node = JsonValue.Create(prefixed);
            return PlainKind.Number;
        }

        if (Float().IsMatch(text) && double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            node = JsonNode.Parse(number.ToString("R", CultureInfo.InvariantCulture));
            return PlainKind.Number;
        }

        if (NotJsonFloat().IsMatch(text))
        {
            return PlainKind.NotJson;
        }

        node = JsonValue.Create(text);
        return PlainKind.String;
    }

    private static long? ParsePrefixed(string text)
    {
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('-', '+')[1..].Replace("_", "", StringComparison.Ordinal);
        var (radix, body) = digits.Length > 0 && char.IsLetter(digits[0])
            ? (digits[0] switch { 'x' => 16, 'o' => 8, _ => 2 }, digits[1..])
            : (8, digits);
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            var value = Convert.ToInt64(body, radix);
            return negative ? -value : value;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static void Write(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (name, value) in obj)
                {
                    WriteString(emitter, name);
                    Write(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Write(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ResolvePlain(text, out _) != PlainKind.String || NeedsQuotes(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, style == ScalarStyle.Any, true));
    }

    // Plain scalars that other YAML readers (YAML 1.2 and 1.1 timestamp rules) would take for something else.
    private static bool NeedsQuotes(string text) =>
        text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.StartsWith('=')
            || TimestampLike().IsMatch(text));

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex TimestampLike();
}
