using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Semantics;

/// <summary>
/// The subset of kubectl JSONPath that printer columns and subresource paths use:
/// <c>.a.b</c>, <c>['a']</c>, <c>[0]</c>, <c>[*]</c> and filters <c>[?(@.type=="Ready")]</c>.
/// </summary>
public static class JsonPathExpression
{
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        path = path.Trim();
        if (path.StartsWith('{') && path.EndsWith('}'))
        {
            path = path[1..^1];
        }

        if (path.StartsWith('$'))
        {
            path = path[1..];
        }

        IReadOnlyList<JsonNode?> current = [root];
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                var start = i;
                while (i < path.Length && path[i] != '.' && path[i] != '[')
                {
                    i++;
                }

                var name = path[start..i];
                if (name.Length == 0)
                {
                    continue;
                }

                current = name == "*" ? [.. current.SelectMany(Children)] : [.. current.Select(n => (n as JsonObject)?[name]).Where(n => n is not null)];
            }
            else if (path[i] == '[')
            {
                var end = FindClosingBracket(path, i);
                var inner = path[(i + 1)..end].Trim();
                i = end + 1;
                current = Step(current, inner);
            }
            else
            {
                throw new FormatException($"unexpected '{path[i]}' at {i} in JSONPath '{path}'");
            }
        }

        return current;
    }

    /// <summary>A JSON number as a long whatever CLR type backs the node; null when it is not a number.</summary>
    public static long? ToLong(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;

    /// <summary>The first value the path selects, or null.</summary>
    public static JsonNode? First(JsonNode? root, string path)
    {
        var values = Evaluate(root, path);
        return values.Count > 0 ? values[0] : null;
    }

    /// <summary>The values as kubectl prints them: strings bare, several joined by commas, missing as empty.</summary>
    public static string Format(IReadOnlyList<JsonNode?> values) => string.Join(",", values.Select(ToText));

    public static string ToText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static int FindClosingBracket(string path, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var j = open; j < path.Length; j++)
        {
            var c = path[j];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && --depth == 0)
            {
                return j;
            }
        }

        throw new FormatException($"unclosed '[' in JSONPath '{path}'");
    }

    private static IReadOnlyList<JsonNode?> Step(IReadOnlyList<JsonNode?> current, string inner)
    {
        if (inner == "*")
        {
            return [.. current.SelectMany(Children)];
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var filter = inner[2..^1].Trim();
            return [.. current.SelectMany(Children).Where(n => Matches(n, filter))];
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"')
        {
            var key = inner[1..^1];
            return [.. current.Select(n => (n as JsonObject)?[key]).Where(n => n is not null)];
        }

        if (int.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            return [.. current.OfType<JsonArray>().Select(a => index < 0 ? (a.Count + index >= 0 ? a[a.Count + index] : null) : index < a.Count ? a[index] : null).Where(n => n is not null)];
        }

        throw new FormatException($"unsupported JSONPath subscript '[{inner}]'");
    }

    private static IEnumerable<JsonNode?> Children(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o => o.Select(p => p.Value),
        _ => [],
    };

    private static bool Matches(JsonNode? item, string filter)
    {
        foreach (var op in new[] { "==", "!=" })
        {
            var at = filter.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var left = filter[..at].Trim();
            var right = filter[(at + op.Length)..].Trim();
            if (!left.StartsWith('@'))
            {
                throw new FormatException($"unsupported JSONPath filter '{filter}'");
            }

            var actual = Evaluate(item, left[1..]);
            var expected = right.Length >= 2 && right[0] is '"' or '\'' ? right[1..^1] : right;
            var equal = actual.Count > 0 && ToText(actual[0]) == expected;
            return op == "==" ? equal : !equal;
        }

        // [?(@.field)]: the field exists.
        return filter.StartsWith('@') && Evaluate(item, filter[1..]).Count > 0;
    }
}
