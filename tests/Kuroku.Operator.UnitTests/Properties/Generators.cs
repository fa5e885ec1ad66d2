using System.Text.Json.Nodes;
using CsCheck;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>
/// Generators for the property tests: WebApps as a new user writes them (valid ones and ones broken in
/// the ways people break them), YAML texts mutated from those, the scalar forms YAML readers disagree
/// on, and arbitrary JSON. CsCheck prints the seed and the shrunk case of a failing property; replay
/// with CsCheck_Seed=..., run longer with CsCheck_Iter=N or CsCheck_Time=SECONDS (README).
/// </summary>
internal static class Generators
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";

    /// <summary>Scalars whose reading differs between YAML 1.1, YAML 1.2 and JSON, or that JSON cannot hold.</summary>
    public static readonly string[] HostileScalars =
    [
        "1e400", "-1e400", "1e-400", "1E400", ".inf", "-.inf", "+.INF", ".nan", ".NaN", "0x10", "0X1F", "-0x10", "0o17", "0O17",
        "017", "08", "09.5", "0b101", "1_000", "1_000.5", ".5", ".5_0", "+12", "-0", "1.0", "1e3", "1e21", "1.5e-7",
        "9223372036854775807", "9223372036854775808", "18446744073709551616", "0x1ffffffffffffffff", "-0x1ffffffffffffffff",
        "1" + new string('0', 400), "~", "null", "Null", "", "yes", "No", "ON", "off", "y", "N", "true", "False", "yEs",
        "2001-12-14", "2001-12-14t21:59:43.10-05:00", "1:20", "0x", "+", "<<", "!!str 12", "!!int 1.5", "!!float 1",
        "!!bool yes", "!!binary aGVsbG8=", "!!binary ***", "!!null x", "! 12", "!custom 12", "\"1e400\"", "'.inf'",
        "\"\\0nul\"", "\"\\x01\\u2028\\u0085\"", "&a 1", "*a", "*nope", "[1e400]", "{a: 1e400}", "{y: 1, yes: 2}",
        new string('x', 5000), "\"" + new string('z', 70_000) + "\"", "|\n    multi\n    line", "- a", "a: b: c", "#",
    ];

    public static readonly Gen<string> Label =
        Gen.Select(Gen.Char[Lower], Gen.Char[Lower + Digits + "-"].Array[0, 10], Gen.Char[Lower + Digits],
            (first, middle, last) => first + new string(middle).Trim('-') + last);

    private static readonly Gen<string> Image = Gen.OneOf(
        Gen.OneOf("nginx", "ghcr.io/acme/shop:1.4.2", "registry.example.com:5000/team/app@sha256:" + new string('a', 64), "localhost/app:latest"),
        Label.Select(l => $"registry.example.com/{l}:1.0"));

    private static readonly Gen<JsonNode> Process = Gen.Select(
        Gen.Int[0, 5].Nullable(0.4),
        Gen.OneOf("eco", "basic", "standard-1x", "standard-2x", "performance-m", "performance-l").Null(0.5),
        Gen.OneOf("gunicorn", "bundle", "node", "sleep 1e400", "$(PORT)", "1e400").Array[0, 3].Null(0.5),
        Gen.Bool,
        (replicas, size, command, autoscale) =>
        {
            var process = new JsonObject();
            if (replicas is { } r)
            {
                process["replicas"] = r;
            }

            if (size is not null)
            {
                process["size"] = size;
            }

            if (command is not null)
            {
                process["command"] = new JsonArray([.. command.Select(c => (JsonNode?)c)]);
            }

            if (autoscale)
            {
                process["autoscaling"] = new JsonObject { ["minReplicas"] = 1, ["maxReplicas"] = 4, ["targetCPUUtilizationPercentage"] = 70 };
            }

            return (JsonNode)process;
        });

    private static readonly Gen<JsonNode> Env = Gen.Select(
        Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ_"].Array[1, 8],
        Gen.OneOf("1", "yes", "on", "1e400", "0x10", "", "a value with spaces", "line one\nline two", "\u0001ctl"),
        Gen.Bool,
        (name, value, fromSecret) => (JsonNode)(fromSecret
            ? new JsonObject { ["name"] = new string(name), ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "db", ["key"] = "url" } } }
            : new JsonObject { ["name"] = new string(name), ["value"] = value }));

    /// <summary>A WebApp that a new user could write, valid by construction apart from rare name collisions.</summary>
    public static readonly Gen<JsonObject> WebApp =
        from name in Label.Where(l => l.Length <= 30)
        from ns in Label.Null(0.5)
        from image in Image
        from port in Gen.Int[1, 65535].Nullable(0.5)
        from processNames in Label.Where(l => l.Length <= 12).Array[0, 3]
        from processes in Process.Array[4]
        from env in Env.Array[0, 3]
        from web in Gen.Bool
        from domains in Label.Array[0, 2]
        from withStatic in Gen.Bool
        from release in Gen.Bool
        from maintenance in Gen.Bool.Nullable(0.7)
        select Build(name, ns, image, port, processNames, processes, env, web, domains, withStatic, release, maintenance);

    private static JsonObject Build(string name, string? ns, string image, int? port, string[] processNames, JsonNode[] processes,
        JsonNode[] env, bool web, string[] domains, bool withStatic, bool release, bool? maintenance)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        var processMap = new JsonObject();
        if (web || processNames.Length == 0)
        {
            processMap["web"] = processes[0];
        }

        for (var i = 0; i < processNames.Length; i++)
        {
            if (!processMap.ContainsKey(processNames[i]) && name.Length + 1 + processNames[i].Length <= 63)
            {
                processMap[processNames[i]] = processes[i + 1];
            }
        }

        var spec = new JsonObject { ["image"] = image, ["processes"] = processMap };
        if (port is { } p)
        {
            spec["port"] = p;
        }

        var envNames = new HashSet<string>(StringComparer.Ordinal) { "PORT" };
        var envList = env.Where(e => envNames.Add(e["name"]!.GetValue<string>())).ToList();
        if (envList.Count > 0)
        {
            spec["env"] = new JsonArray([.. envList]);
        }

        if (processMap.ContainsKey("web") && domains.Length > 0)
        {
            spec["domains"] = new JsonObject
            {
                ["hosts"] = new JsonArray([.. domains.Distinct().Select(d => (JsonNode?)$"{d}.example.com")]),
                ["tls"] = new JsonObject { ["clusterIssuer"] = "letsencrypt" },
            };
        }

        if (processMap.ContainsKey("web") && withStatic)
        {
            spec["static"] = new JsonObject { ["path"] = "/static", ["from"] = "/app/public" };
        }

        if (release)
        {
            spec["release"] = new JsonObject { ["command"] = new JsonArray("rake", "db:migrate") };
        }

        if (maintenance is { } m)
        {
            spec["maintenance"] = m;
        }

        return new JsonObject
        {
            ["apiVersion"] = "kuroku.dev/v1alpha1",
            ["kind"] = "WebApp",
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary>The paths of every scalar of a JSON tree, as (parent, key or index).</summary>
    public static List<(JsonNode Parent, object Key)> Leaves(JsonNode root)
    {
        var leaves = new List<(JsonNode, object)>();
        void Walk(JsonNode node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.ToList())
                    {
                        if (child is JsonObject or JsonArray)
                        {
                            Walk(child);
                        }
                        else
                        {
                            leaves.Add((obj, key));
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is JsonObject or JsonArray)
                        {
                            Walk(array[i]!);
                        }
                        else
                        {
                            leaves.Add((array, i));
                        }
                    }

                    break;
            }
        }

        Walk(root);
        return leaves;
    }

    private const string Marker = "KUROKU-HOSTILE-SCALAR";

    /// <summary>A WebApp's YAML with one scalar replaced, as typed, by a hostile scalar (which may break the YAML around it).</summary>
    public static readonly Gen<string> WebAppWithHostileScalar =
        from app in WebApp
        from pick in Gen.Int[0, 1000]
        from hostile in Gen.OneOf(HostileScalars)
        select WithScalar(app, pick, hostile);

    private static string WithScalar(JsonObject app, int pick, string hostile)
    {
        var leaves = Leaves(app);
        var (parent, key) = leaves[pick % leaves.Count];
        if (parent is JsonObject obj)
        {
            obj[(string)key] = Marker;
        }
        else
        {
            parent.AsArray()[(int)key] = Marker;
        }

        return YamlJson.ToYaml(app).Replace(Marker, hostile, StringComparison.Ordinal);
    }

    /// <summary>Text-level mutations of a valid WebApp's YAML: what editors, copy-paste and typos do.</summary>
    public static readonly Gen<string> MutatedYaml =
        from app in WebApp
        from kind in Gen.Int[0, 9]
        from position in Gen.Int[0, 100_000]
        from character in Gen.Char['\0', '\u00ff']
        from depth in Gen.Int[1, 200]
        select Mutate(YamlJson.ToYaml(app), kind, position, character, depth);

    private static string Mutate(string yaml, int kind, int position, char character, int depth)
    {
        var lines = yaml.Split('\n').ToList();
        var line = position % Math.Max(1, lines.Count - 1);
        var at = position % (yaml.Length + 1);
        switch (kind)
        {
            case 0:
                lines.Insert(line, lines[line]); // a duplicate key (or list item)
                return string.Join('\n', lines);
            case 1:
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case 2:
                return yaml.Insert(at, character.ToString());
            case 3:
                return yaml[..at];
            case 4:
                lines[line] = " " + lines[line]; // indentation off by one
                return string.Join('\n', lines);
            case 5:
                return yaml + "  extra:\n" + string.Concat(Enumerable.Range(1, depth).Select(i => new string(' ', 2 + (2 * i)) + "a:\n"));
            case 6:
                return new string('[', depth) + new string(']', depth);
            case 7:
                return yaml + "---\n" + yaml.Replace("name: ", "name: x", StringComparison.Ordinal);
            case 8:
                return "base: &b\n" + yaml.Replace("\n", "\n  ", StringComparison.Ordinal) + "\n" + "copy: *b\n";
            default:
                return yaml.Replace(": ", ":\t", StringComparison.Ordinal);
        }
    }

    /// <summary>Arbitrary text over YAML's special characters, letters, digits and controls.</summary>
    public static readonly Gen<string> YamlishText =
        Gen.Frequency(
            (6, Gen.Char["-:{}[],#&*!|>'\"%@` \n\tabcxyz019.+_~\\"]),
            (1, Gen.Char['\0', '\u001f']),
            (1, Gen.Char['\u0080', '\uffff'])).Array[0, 80].Select(chars => new string(chars));

    /// <summary>Arbitrary JSON: objects, arrays, strings with any printable or control character, numbers, booleans, null.</summary>
    public static readonly Gen<JsonNode?> Json = Gen.Recursive<JsonNode?>((depth, tree) =>
    {
        var text = Gen.Frequency(
            (3, Gen.OneOf(HostileScalars)),
            (3, Gen.Char[' ', '~'].Array[0, 12].Select(c => new string(c))),
            (1, Gen.Char['\0', '\uffff'].Array[0, 6].Select(c => new string(c).Normalize(System.Text.NormalizationForm.FormC)).Where(s => !s.Any(char.IsSurrogate))));
        var scalar = Gen.OneOf<JsonNode?>(
            text.Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
            Gen.Double.Where(double.IsFinite).Select(d => JsonNode.Parse(YamlScalars.GoJsonFloat(d))),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Const<JsonNode?>(() => null));
        if (depth >= 4)
        {
            return scalar;
        }

        var key = Gen.Frequency((3, Gen.OneOf(HostileScalars)), (2, Label));
        return Gen.Frequency(
            (3, scalar),
            (1, tree.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(key, tree).Array[0, 4].Select(entries =>
            {
                var obj = new JsonObject();
                foreach (var (k, v) in entries)
                {
                    obj[k] = v;
                }

                return (JsonNode?)obj;
            })));
    });
}
