using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuroku.Testing.ApiServer.Storage;

namespace Kuroku.Testing.ApiServer.Semantics;

/// <summary>The labels of one object, as the store keeps them: a few pairs, looked up without allocating.</summary>
public sealed class LabelSet
{
    private readonly KeyValuePair<string, string>[] _pairs;

    public LabelSet(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        _pairs = [.. pairs];
    }

    public static LabelSet Empty { get; } = new([]);

    public int Count => _pairs.Length;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>The labels of a JSON object's metadata.labels.</summary>
    public static LabelSet Of(JsonNode? obj) =>
        obj?["metadata"]?["labels"] is JsonObject labels && labels.Count > 0
            ? new LabelSet(labels.Select(p => KeyValuePair.Create(p.Key, JsonPathExpression.ToText(p.Value))))
            : Empty;

    public bool TryGetValue(string key, out string value)
    {
        foreach (var (k, v) in _pairs)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = "";
        return false;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);
}

/// <summary>
/// A parsed label selector, with the grammar and checks of apimachinery's labels.Parse:
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;1</c>, <c>k&lt;1</c>,
/// requirements separated by commas and all required. Bad input is a 400 naming the requirement.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlySet<string> Values)
    {
        public bool Matches(LabelSet labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Equals or Operator.In => has && Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value),
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.GreaterThan => has && long.TryParse(value, CultureInfo.InvariantCulture, out var g) && g > long.Parse(Values.First(), CultureInfo.InvariantCulture),
                _ => has && long.TryParse(value, CultureInfo.InvariantCulture, out var l) && l < long.Parse(Values.First(), CultureInfo.InvariantCulture),
            };
        }
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parser = new Parser(text);
        return new LabelSelector(parser.ParseAll());
    }

    public bool Matches(LabelSet labels)
    {
        foreach (var r in _requirements)
        {
            if (!r.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public bool Matches(StoredObject obj) => IsEmpty || Matches(obj.Labels);

    public bool Matches(JsonNode? obj) => IsEmpty || Matches(LabelSet.Of(obj));

    /// <summary>The keys and values of the equality requirements (<c>k=v</c>, <c>k in (v)</c>), for an index lookup.</summary>
    public IEnumerable<KeyValuePair<string, string>> EqualityTerms() =>
        _requirements.Where(r => r.Op is Operator.Equals || (r.Op is Operator.In && r.Values.Count == 1))
            .Select(r => KeyValuePair.Create(r.Key, r.Values.First()));

    /// <summary>The text form of a metav1.LabelSelector object (as the Scale status.selector carries it).</summary>
    public static string ToText(JsonObject selector)
    {
        var parts = new List<string>();
        foreach (var (k, v) in (selector["matchLabels"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parts.Add($"{k}={JsonPathExpression.ToText(v)}");
        }

        foreach (var e in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = e["key"]!.GetValue<string>();
            var values = string.Join(",", (e["values"] as JsonArray ?? []).Select(JsonPathExpression.ToText));
            parts.Add(e["operator"]!.GetValue<string>() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                _ => $"!{key}",
            });
        }

        return string.Join(",", parts);
    }

    /// <summary>A DNS-1123 subdomain prefix and a name part, as label keys are (validation.IsQualifiedName).</summary>
    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    private static void CheckKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (key.Length == 0 || name.Length > 63 || (slash >= 0 && slash > 253) || !QualifiedName().IsMatch(key))
        {
            throw ApiException.BadRequest(
                $"unable to parse requirement: key: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        }
    }

    private static void CheckValue(string key, string value)
    {
        if (value.Length > 63 || !LabelValue().IsMatch(value))
        {
            throw ApiException.BadRequest(
                $"unable to parse requirement: values[0][{key}]: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
        }
    }

    /// <summary>The lexer and recursive-descent parser of labels.Parse, on one selector string.</summary>
    private sealed class Parser(string text)
    {
        private const string Special = " \t\r\n,()=!<>";
        private readonly List<(string Kind, string Text)> _tokens = Lex(text);
        private int _at;

        private static List<(string Kind, string Text)> Lex(string s)
        {
            var tokens = new List<(string, string)>();
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is ',' or '(' or ')' or '<' or '>')
                {
                    tokens.Add((c.ToString(), c.ToString()));
                    i++;
                }
                else if (c == '=')
                {
                    var two = i + 1 < s.Length && s[i + 1] == '=';
                    tokens.Add(("=", two ? "==" : "="));
                    i += two ? 2 : 1;
                }
                else if (c == '!')
                {
                    var ne = i + 1 < s.Length && s[i + 1] == '=';
                    tokens.Add((ne ? "!=" : "!", ne ? "!=" : "!"));
                    i += ne ? 2 : 1;
                }
                else
                {
                    var start = i;
                    while (i < s.Length && !Special.Contains(s[i], StringComparison.Ordinal))
                    {
                        i++;
                    }

                    var word = s[start..i];
                    tokens.Add((word is "in" or "notin" ? word : "id", word));
                }
            }

            tokens.Add(("end", ""));
            return tokens;
        }

        private (string Kind, string Text) Peek => _tokens[_at];

        private (string Kind, string Text) Next() => _tokens[_at++];

        private ApiException Error(string expected) =>
            ApiException.BadRequest($"unable to parse requirement: found '{Peek.Text}', expected: {expected}");

        public List<Requirement> ParseAll()
        {
            var requirements = new List<Requirement>();
            while (true)
            {
                requirements.Add(ParseRequirement());
                switch (Next().Kind)
                {
                    case "end":
                        return requirements;
                    case ",":
                        if (Peek.Kind is not ("id" or "!"))
                        {
                            throw Error("identifier after ','");
                        }

                        continue;
                    default:
                        _at--;
                        throw Error("',' or 'end of string'");
                }
            }
        }

        private Requirement ParseRequirement()
        {
            if (Peek.Kind == "!")
            {
                Next();
                if (Peek.Kind != "id")
                {
                    throw Error("identifier after '!'");
                }

                var key = Next().Text;
                CheckKey(key);
                return new Requirement(key, Operator.DoesNotExist, new HashSet<string>());
            }

            if (Peek.Kind != "id")
            {
                throw Error("identifier");
            }

            var name = Next().Text;
            CheckKey(name);
            var op = Peek.Kind switch
            {
                "end" or "," => Operator.Exists,
                "=" => Operator.Equals,
                "!=" => Operator.NotEquals,
                "in" => Operator.In,
                "notin" => Operator.NotIn,
                ">" => Operator.GreaterThan,
                "<" => Operator.LessThan,
                _ => throw Error("'=', '!=', '==', 'in', notin'"),
            };
            if (op == Operator.Exists)
            {
                return new Requirement(name, op, new HashSet<string>());
            }

            Next();
            var values = new HashSet<string>(StringComparer.Ordinal);
            if (op is Operator.In or Operator.NotIn)
            {
                if (Next().Kind != "(")
                {
                    _at--;
                    throw Error("'('");
                }

                while (true)
                {
                    if (Peek.Kind == ")" && values.Count == 0)
                    {
                        Next();
                        break;
                    }

                    var value = Peek.Kind is "id" or "in" or "notin" ? Next().Text : "";
                    CheckValue(name, value);
                    values.Add(value);
                    var after = Next();
                    if (after.Kind == ")")
                    {
                        break;
                    }

                    if (after.Kind != ",")
                    {
                        _at--;
                        throw Error("',' or ')'");
                    }
                }

                if (values.Count == 0)
                {
                    throw ApiException.BadRequest($"unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
                }

                return new Requirement(name, op, values);
            }

            var single = Peek.Kind is "id" or "in" or "notin" ? Next().Text : "";
            if (op is Operator.GreaterThan or Operator.LessThan)
            {
                if (!long.TryParse(single, CultureInfo.InvariantCulture, out _))
                {
                    throw ApiException.BadRequest($"unable to parse requirement: values[0]: Invalid value: \"{single}\": for 'Gt', 'Lt' operators, the value must be an integer");
                }
            }
            else
            {
                CheckValue(name, single);
            }

            values.Add(single);
            return new Requirement(name, op, values);
        }
    }
}

/// <summary>A parsed field selector (<c>metadata.name=x,involvedObject.kind!=Pod</c>) over any dotted field path.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Equal)> _terms = [];

    public static FieldSelector Everything { get; } = new();

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var (op, equal) = part.Contains("!=", StringComparison.Ordinal) ? ("!=", false)
                : part.Contains("==", StringComparison.Ordinal) ? ("==", true)
                : part.Contains('=', StringComparison.Ordinal) ? ("=", true)
                : throw ApiException.BadRequest($"invalid field selector: '{part}'");
            var at = part.IndexOf(op, StringComparison.Ordinal);
            selector._terms.Add((part[..at].Trim(), part[(at + op.Length)..].Trim(), equal));
        }

        return selector;
    }

    /// <summary>The value of metadata.name=... if the selector pins one.</summary>
    public string? Value(string path) => _terms.FirstOrDefault(t => t.Equal && t.Path == path).Value;

    /// <summary>Matches a stored object; only a selector on fields other than name and namespace parses its JSON.</summary>
    public bool Matches(StoredObject obj)
    {
        if (IsEmpty)
        {
            return true;
        }

        JsonObject? node = null;
        foreach (var (path, value, equal) in _terms)
        {
            var actual = path switch
            {
                "metadata.name" => obj.Name,
                "metadata.namespace" => obj.Namespace ?? "",
                _ => Text(node ??= obj.ToNode(), path),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    public bool Matches(JsonNode? obj) => _terms.All(t => (Text(obj, t.Path) == t.Value) == t.Equal);

    private static string Text(JsonNode? obj, string path)
    {
        var node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
        }

        return JsonPathExpression.ToText(node);
    }
}
