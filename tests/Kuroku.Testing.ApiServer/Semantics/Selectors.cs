using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Semantics;

/// <summary>A parsed label selector (<c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>).</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 2 && (words[1].StartsWith("in ", StringComparison.Ordinal) || words[1].StartsWith("in(", StringComparison.Ordinal)
                || words[1].StartsWith("notin", StringComparison.Ordinal)))
            {
                var key = words[0];
                var notIn = words[1].StartsWith("notin", StringComparison.Ordinal);
                var open = words[1].IndexOf('(', StringComparison.Ordinal);
                var close = words[1].LastIndexOf(')');
                if (open < 0 || close < open)
                {
                    throw ApiException.BadRequest($"unable to parse requirement: '{part}'");
                }

                var values = words[1][(open + 1)..close].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                selector._requirements.Add(notIn
                    ? l => !l.TryGetValue(key, out var v) || !values.Contains(v)
                    : l => l.TryGetValue(key, out var v) && values.Contains(v));
            }
            else if (part.Contains("!=", StringComparison.Ordinal))
            {
                var (key, value) = SplitOn(part, "!=");
                selector._requirements.Add(l => !l.TryGetValue(key, out var v) || v != value);
            }
            else if (part.Contains("==", StringComparison.Ordinal))
            {
                var (key, value) = SplitOn(part, "==");
                selector._requirements.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (part.Contains('=', StringComparison.Ordinal))
            {
                var (key, value) = SplitOn(part, "=");
                selector._requirements.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (part.StartsWith('!'))
            {
                var key = part[1..].Trim();
                selector._requirements.Add(l => !l.ContainsKey(key));
            }
            else
            {
                selector._requirements.Add(l => l.ContainsKey(part));
            }
        }

        return selector;
    }

    public bool Matches(JsonNode? obj)
    {
        if (IsEmpty)
        {
            return true;
        }

        var labels = (obj?["metadata"]?["labels"] as JsonObject)?
            .ToDictionary(p => p.Key, p => JsonPathExpression.ToText(p.Value), StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        return _requirements.All(r => r(labels));
    }

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

    private static (string Key, string Value) SplitOn(string part, string op)
    {
        var at = part.IndexOf(op, StringComparison.Ordinal);
        return (part[..at].Trim(), part[(at + op.Length)..].Trim());
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}

/// <summary>A parsed field selector (<c>metadata.name=x,involvedObject.kind!=Pod</c>) over any dotted field path.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Equal)> _terms = [];

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

    public bool Matches(JsonNode? obj) => _terms.All(t =>
    {
        JsonNode? node = obj;
        foreach (var segment in t.Path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
        }

        var actual = JsonPathExpression.ToText(node);
        return (actual == t.Value) == t.Equal;
    });
}
