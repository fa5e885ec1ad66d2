using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kuroku.Operator.Serialization;

/// <summary>
/// Thrown when YAML text cannot become JSON. <see cref="Exception.Message"/> reads
/// "line L, column C: [path: ]reason"; <see cref="Path"/> names the field when the problem is a value.
/// </summary>
public sealed class YamlJsonException : Exception
{
    public YamlJsonException(string reason, long line, long column, string? path = null, int document = 1, Exception? inner = null)
        : base($"line {line}, column {column}: {(string.IsNullOrEmpty(path) ? "" : path + ": ")}{reason}", inner)
    {
        Reason = reason;
        Line = line;
        Column = column;
        Path = string.IsNullOrEmpty(path) ? null : path;
        Document = document;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The line of the problem, from 1.</summary>
    public long Line { get; }

    /// <summary>The column of the problem, from 1.</summary>
    public long Column { get; }

    /// <summary>The field path of the value at fault (<c>spec.processes.web.replicas</c>), or null for a syntax error.</summary>
    public string? Path { get; }

    /// <summary>The document of the stream the problem is in, from 1.</summary>
    public int Document { get; }
}

/// <summary>
/// YAML to JSON and back, as kubectl does it (sigs.k8s.io/yaml over go-yaml v2). Plain scalars resolve
/// the YAML 1.1 way (<see cref="YamlScalars"/>: <c>yes</c> and <c>on</c> are booleans, <c>0x10</c> is 16,
/// <c>1e400</c> is a string), mapping keys become field names the way sigs.k8s.io/yaml names them, and
/// quoted scalars stay strings. What kubectl refuses is refused with its line, column and field path:
/// control characters, duplicate keys, null keys, infinities and NaN (JSON has none), unknown aliases,
/// excessive alias expansion. Nesting deeper than <see cref="MaxDepth"/> levels is refused too.
/// The writer emits block YAML with the keys in the order of the JSON, quotes every string that some
/// YAML reader would read as something else, and writes multi-line strings as literal blocks.
/// </summary>
public static partial class YamlJson
{
    /// <summary>
    /// The deepest nesting of mappings and sequences read: System.Text.Json's default depth, so the
    /// deepest the operator (and its KubernetesClient serializer) can read back. A WebApp's schema is
    /// about ten levels deep; go-yaml itself stops at 10,000.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Every non-empty document of a YAML stream, as JSON (a document holding only null is empty, as for kubectl).</summary>
    /// <exception cref="YamlJsonException">The text is not YAML, or has something JSON or kubectl cannot take.</exception>
    public static IReadOnlyList<JsonNode> ParseDocuments(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        CheckCharacters(yaml);
        var documents = new List<JsonNode>();
        var parser = new Parser(new StringReader(yaml.StartsWith('\uFEFF') ? yaml[1..] : yaml));
        var number = 0;
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                number++;
                var node = new DocumentReader(parser, number).Read("", 0).Node;
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
            throw new YamlJsonException(e.Message, e.Start.Line, e.Start.Column, document: Math.Max(number, 1), inner: e);
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

    // go-yaml's reader refuses every character outside YAML's printable set, wherever it is.
    private static void CheckCharacters(string yaml)
    {
        long line = 1, column = 1;
        for (var i = 0; i < yaml.Length; i++)
        {
            var c = yaml[i];
            var printable = c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
            if (!printable && char.IsHighSurrogate(c) && i + 1 < yaml.Length && char.IsLowSurrogate(yaml[i + 1]))
            {
                i++;
                printable = true;
            }

            if (!printable)
            {
                var what = char.IsSurrogate(c) ? "invalid Unicode (a lone surrogate)" : $"control characters are not allowed (U+{(int)c:X4})";
                throw new YamlJsonException(what, line, column);
            }

            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
    }

    private readonly record struct Built(JsonNode? Node, long Size, int Height);

    // One document: anchors are per document, and so is the count of nodes that alias expansion made.
    private sealed class DocumentReader(IParser parser, int document)
    {
        private const string MergeTag = "tag:yaml.org,2002:merge";
        private readonly Dictionary<string, Built> _anchors = new(StringComparer.Ordinal);
        private long _nodes;
        private long _aliasNodes;

        // depth: how many mappings and sequences enclose the node.
        public Built Read(string path, int depth)
        {
            var current = parser.Current;
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw Fail(alias, path, $"unknown anchor '{alias.Value.Value}' referenced");
                }

                if (depth + target.Height > MaxDepth)
                {
                    throw Fail(alias, path, $"nesting deeper than {MaxDepth} levels");
                }

                _nodes += target.Size;
                _aliasNodes += target.Size;
                if (_aliasNodes > 100 && _nodes > 1000 && (double)_aliasNodes / _nodes > AllowedAliasRatio(_nodes))
                {
                    throw Fail(alias, path, "document contains excessive aliasing");
                }

                return target with { Node = target.Node?.DeepClone() };
            }

            Built built;
            AnchorName anchor;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                anchor = scalar.Anchor;
                _nodes++;
                built = new Built(ScalarNode(scalar, path), 1, 0);
            }
            else
            {
                if (depth + 1 > MaxDepth)
                {
                    throw Fail(current!, path, $"nesting deeper than {MaxDepth} levels");
                }

                _nodes++;
                if (parser.TryConsume<SequenceStart>(out var sequence))
                {
                    anchor = sequence.Anchor;
                    var array = new JsonArray();
                    long size = 1;
                    var height = 0;
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var item = Read($"{(path.Length == 0 ? "<root>" : path)}[{array.Count}]", depth + 1);
                        array.Add(item.Node);
                        size += item.Size;
                        height = Math.Max(height, item.Height);
                    }

                    built = new Built(array, size, height + 1);
                }
                else
                {
                    var mapping = parser.Consume<MappingStart>();
                    anchor = mapping.Anchor;
                    built = ReadMapping(path, depth + 1);
                }
            }

            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = built;
            }

            return built;
        }

        // depth: the nesting level of this mapping.
        private Built ReadMapping(string path, int depth)
        {
            var result = new JsonObject();
            var lines = new Dictionary<string, long>(StringComparer.Ordinal);
            var merged = new List<JsonObject>();
            long size = 1;
            var height = 0;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current!;
                if (!parser.TryConsume<Scalar>(out var key))
                {
                    throw Fail(keyEvent, path, keyEvent is AnchorAlias
                        ? "an alias as a mapping key is not supported"
                        : "invalid map key: mapping keys must be scalars");
                }

                if (key.Value == "<<" && ((key.Style == ScalarStyle.Plain && key.Tag.IsEmpty) || (!key.Tag.IsEmpty && key.Tag.Value == MergeTag)))
                {
                    var source = Read(path, depth - 1);
                    merged.AddRange(source.Node switch
                    {
                        JsonObject one => [one],
                        JsonArray many when many.All(m => m is JsonObject) => many.Cast<JsonObject>(),
                        _ => throw Fail(key, path, "map merge requires map or sequence of maps as the value"),
                    });
                    size += source.Size;
                    height = Math.Max(height, source.Height - 1);
                    continue;
                }

                var resolved = Resolve(key, path);
                var name = YamlScalars.KeyName(resolved)
                    ?? throw Fail(key, path, $"unsupported map key: a {resolved.ShortTag} key (\"{key.Value}\") cannot name a JSON field");
                var field = Field(path, name);
                if (lines.TryGetValue(name, out var line))
                {
                    throw Fail(key, field, $"mapping key \"{name}\" already defined at line {line}");
                }

                lines[name] = key.Start.Line;
                if (!key.Anchor.IsEmpty)
                {
                    _anchors[key.Anchor.Value] = new Built(JsonValue.Create(name), 1, 0);
                }

                var value = Read(field, depth);
                result[name] = value.Node;
                size += value.Size;
                height = Math.Max(height, value.Height);
            }

            // Merged entries never override the mapping's own keys; earlier sources win over later ones.
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

            return new Built(result, size, height + 1);
        }

        private JsonNode? ScalarNode(Scalar scalar, string path)
        {
            var value = Resolve(scalar, path);
            switch (value.Type)
            {
                case ScalarType.Null:
                    return null;
                case ScalarType.Bool:
                    return JsonValue.Create(value.Bool);
                case ScalarType.Int or ScalarType.Uint:
                    return JsonNode.Parse(value.Text);
                case ScalarType.BigInt:
                    return double.IsFinite(double.Parse(value.Text, CultureInfo.InvariantCulture))
                        ? JsonNode.Parse(value.Text)
                        : throw Fail(scalar, path, $"Invalid value: {scalar.Value}: out of range (a JSON number the API server reads must fit in a 64-bit float)");
                case ScalarType.Float when !double.IsFinite(value.Float):
                    throw Fail(scalar, path, $"Invalid value: {scalar.Value}: JSON has no infinity or NaN (quote it for the text)");
                case ScalarType.Float:
                    return JsonNode.Parse(YamlScalars.GoJsonFloat(value.Float));
                default:
                    return JsonValue.Create(value.Text);
            }
        }

        private ScalarValue Resolve(Scalar scalar, string path)
        {
            if (scalar.Tag.IsEmpty)
            {
                return scalar.Style == ScalarStyle.Plain ? YamlScalars.ResolvePlain(scalar.Value) : ScalarValue.Of(scalar.Value);
            }

            return YamlScalars.ResolveTagged(scalar.Tag.Value, scalar.Value, out var error)
                ?? throw Fail(scalar, path, error!);
        }

        private YamlJsonException Fail(ParsingEvent at, string path, string reason) =>
            new(reason, at.Start.Line, at.Start.Column, path, document);

        // go-yaml's allowedAliasRatio: up to 99% of a small document may come from aliases, 10% of a huge one.
        private static double AllowedAliasRatio(long nodes) => nodes switch
        {
            <= 400_000 => 0.99,
            >= 4_000_000 => 0.10,
            _ => 0.99 - (0.89 * (nodes - 400_000) / 3_600_000.0),
        };
    }

    /// <summary>A path to a field of the object at path.</summary>
    private static string Field(string path, string name) => path.Length == 0 ? name : path + "." + name;

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
            : text.Length == 0 || YamlScalars.ResolvePlain(text).Type != ScalarType.String || YamlScalars.LooksNumeric(text) || NeedsQuotes(text)
                ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, style == ScalarStyle.Any, true));
    }

    // Plain scalars that other YAML readers (YAML 1.2 and 1.1 timestamp rules) would take for something else.
    private static bool NeedsQuotes(string text) =>
        text == "<<" || (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.StartsWith('=')
            || TimestampLike().IsMatch(text)));

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex TimestampLike();
}
