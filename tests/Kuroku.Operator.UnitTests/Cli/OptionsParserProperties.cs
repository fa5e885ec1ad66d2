using CsCheck;
using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;
using Kuroku.Runtime.Cli;

namespace Kuroku.Operator.UnitTests.Cli;

/// <summary>
/// Generated `run` lines and environments (CsCheck: a failure prints the seed; replay it with
/// CsCheck_Seed=SEED dotnet test --filter OptionsParserProperties). The settings' own rules decide what a
/// value is worth; these check the plumbing: flags win, variables fill in, the last flag wins, every bad
/// value is reported at once naming where it came from, and no line makes the parser throw.
/// </summary>
public sealed class OptionsParserProperties
{
    // Candidate values per setting, accepted and refused ones mixed: the model asks the setting which is which.
    private static readonly string[] Names = ["shop", "kuroku-system", "a", "Team_A", "-x", "a.b", "x\n", "", "ü", new('a', 64)];
    private static readonly string[] Numbers = ["1", "2", "64", "65", "0", "-1", "1.5", " 2", "two", "", "8080", "9443", "65535", "65536", "99999999999"];
    private static readonly string[] Booleans = ["true", "false", "True", "FALSE", "yes", "1", "", " true"];
    private static readonly string[] Domains = ["apps.example.com", "a", "x-1.io", "-bad-.com", "UPPER.com", "a..b", "", new('a', 254)];
    private static readonly string[] Paths = ["/tmp/k", "k.yaml", "/etc/kube/config", "", "C:\\x"];
    private static readonly string[] Rates = ["200", "0.5", "50.5", "1e3", "1000", "0", "-1", "NaN", "Infinity", "abc", "", "1e400", "400", "401"];

    private static readonly Dictionary<OperatorSetting, string[]> Candidates = new()
    {
        [OperatorSettings.Kubeconfig] = Paths,
        [OperatorSettings.Context] = ["kind", "prod-eu", ""],
        [OperatorSettings.Namespace] = Names,
        [OperatorSettings.Workers] = Numbers,
        [OperatorSettings.DefaultDomain] = Domains,
        [OperatorSettings.NginxImage] = ["nginx:1.27", "docker.io/nginxinc/nginx-unprivileged:1.27-alpine", "registry:5000/a/b@sha256:abc", "Nginx", ":x", "a b", ""],
        [OperatorSettings.LeaderElection] = Booleans,
        [OperatorSettings.LeaderElectionNamespace] = Names,
        [OperatorSettings.HttpPort] = Numbers,
        [OperatorSettings.WebhookPort] = Numbers,
        [OperatorSettings.WebhookCertDir] = Paths,
        [OperatorSettings.Webhooks] = Booleans,
        [OperatorSettings.WebhookCertManager] = Booleans,
        [OperatorSettings.WebhookServiceName] = Names,
        [OperatorSettings.WebhookSecretName] = [.. Names, .. Domains],
        [OperatorSettings.WebhookConfigurationName] = Domains,
        [OperatorSettings.KubeApiQps] = Rates,
        [OperatorSettings.KubeApiBurst] = [.. Numbers, .. Rates],
    };

    /// <summary>How one setting is given: its flag values (each --flag VALUE or --flag=VALUE) and its variable's value.</summary>
    private sealed record Given(OperatorSetting Setting, (string Value, bool Inline)[] Flags, string? Variable);

    private static Gen<Given> GivenFor(OperatorSetting setting)
    {
        var value = Gen.OneOf(Candidates[setting]);
        var flag = Gen.Select(value, Gen.Bool, (v, inline) => (v, inline && v.Length > 0));
        var variable = setting.Variable is null ? Gen.Const((string?)null) : Gen.Frequency((1, Gen.Const((string?)null)), (2, value.Select(v => (string?)v)));
        return Gen.Select(Gen.Frequency((2, flag.Array[0, 0]), (3, flag.Array[1, 1]), (1, flag.Array[2, 3])), variable, (f, v) => new Given(setting, f, v));
    }

    private static readonly Gen<Dictionary<string, string?>> Pod = Gen.Select(Gen.Bool, Gen.OneOf("", "kuroku", "prod"), Gen.OneOf("", "kuroku-0"),
        (inCluster, ns, name) => new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = inCluster ? "10.0.0.1" : null,
            ["POD_NAMESPACE"] = ns,
            ["POD_NAME"] = name,
        });

    private static readonly Gen<(string[] Args, Dictionary<string, string?> Environment, Given[] Settings)> Lines =
        Gen.Select(
            All(OperatorSettings.Run.Select(GivenFor)),
            Pod,
            Gen.Int,
            (given, pod, seed) =>
            {
                // Each setting's flags keep their order; the settings themselves come in any order.
                var groups = given.Select(g => g.Flags.SelectMany(f => f.Inline ? [$"{g.Setting.Flag}={f.Value}"] : new[] { g.Setting.Flag, f.Value })).ToList();
                var order = Enumerable.Range(0, groups.Count).OrderBy(i => HashCode.Combine(seed, i)).ToList();
                var environment = new Dictionary<string, string?>(pod);
                foreach (var g in given.Where(g => g.Variable is not null))
                {
                    environment[g.Setting.Variable!] = g.Variable;
                }

                return (order.SelectMany(i => groups[i]).ToArray(), environment, given);
            });

    private static Gen<T[]> All<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, gen) => all.SelectMany(items => gen.Select(item => (T[])[.. items, item])));

    [Fact]
    public void Every_run_setting_has_candidate_values_here()
    {
        Candidates.Keys.Should().BeEquivalentTo(OperatorSettings.Run);
        foreach (var (setting, values) in Candidates)
        {
            values.Should().Contain(v => setting.Apply(new OperatorOptions(), v) != null, $"{setting} gets valid values");
            values.Should().Contain(v => setting.Apply(new OperatorOptions(), v) == null, $"{setting} gets refused values");
        }
    }

    [Fact]
    public void Flags_win_variables_fill_in_and_every_bad_value_is_reported_naming_its_flag_or_variable()
    {
        Lines.Sample((args, environment, given) =>
        {
            var (expected, expectedErrors) = Model(environment, given);

            var (options, errors) = OptionsParser.Parse(args, environment);

            errors.Should().Equal(expectedErrors);
            if (expectedErrors.Count == 0)
            {
                options.Should().Be(expected);
            }
            else
            {
                options.Should().BeNull();
            }
        }, iter: 1000);
    }

    // What the declarations say the line means: the last flag value, else a non-empty variable, each checked by its setting.
    private static (OperatorOptions Options, List<string> Errors) Model(Dictionary<string, string?> environment, Given[] given)
    {
        var defaults = new OperatorOptions();
        var options = defaults with
        {
            LeaderElectionNamespace = environment["POD_NAMESPACE"] is { Length: > 0 } ns ? ns : defaults.LeaderElectionNamespace,
            Identity = environment["POD_NAME"] is { Length: > 0 } name ? name : defaults.Identity,
        };
        var errors = new List<string>();
        var sources = new Dictionary<OperatorSetting, string>();
        foreach (var g in given.OrderBy(g => OperatorSettings.Run.ToList().IndexOf(g.Setting)))
        {
            (string Value, string Source)? value = g.Flags.Length > 0 ? (g.Flags[^1].Value, g.Setting.Flag)
                : g.Variable is { Length: > 0 } v ? (v, g.Setting.Variable!)
                : null;
            if (value is { } set)
            {
                sources[g.Setting] = set.Source;
                if (g.Setting.Apply(options, set.Value) is { } applied)
                {
                    options = applied;
                }
                else
                {
                    errors.Add(OptionsParser.Refusal(g.Setting, set.Source, set.Value));
                }
            }
        }

        if (!sources.ContainsKey(OperatorSettings.LeaderElection))
        {
            options = options with { LeaderElection = environment["KUBERNETES_SERVICE_HOST"] is not null && options.Kubeconfig is null };
        }

        if (errors.Count == 0)
        {
            errors.AddRange(OperatorSettings.Conflicts(options, s => sources.GetValueOrDefault(s, s.Flag)));
        }

        return (options, errors);
    }

    // Any words at all, among them every flag, its = and : forms, and what shells and other parsers treat specially.
    private static readonly string[] Flags = [.. OperatorSettings.Run.Select(s => s.Flag)];
    private static readonly string[] Variables = [.. OperatorSettings.Run.Select(s => s.Variable).OfType<string>()];

    private static readonly Gen<string> Word = Gen.Frequency(
        (4, Gen.OneOf(Flags)),
        (2, Gen.Select(Gen.OneOf(Flags), Gen.OneOf("=", ":", "=x", "=1", "=true", ":9443"), (f, s) => f + s)),
        (3, Gen.OneOf([.. Numbers, .. Booleans, .. Domains, .. Rates, .. Names])),
        (2, Gen.OneOf("--", "-", "-h", "--help", "-n", "--WORKERS", "--frobnicate", "-x=1", "@options.txt", "[diagram]", "run", "render", "\0", "\u200b", "'", "\"")),
        (2, Gen.String[Gen.Char["-=:@[]ab01 \n.ü"], 0, 8]));

    private static readonly Gen<Dictionary<string, string?>> Environments =
        Gen.Dictionary(Gen.OneOf([.. Variables, "KUBERNETES_SERVICE_HOST", "POD_NAMESPACE", "POD_NAME", "KUROKU_OTHER"]), Word.Select(w => (string?)w))[0, 6]
            .Select(d => new Dictionary<string, string?>(d));

    [Fact]
    public void No_line_makes_the_parser_throw_and_every_refusal_names_what_it_refuses()
    {
        Gen.Select(Word.Array[0, 8], Environments).Sample((args, environment) =>
        {
            var (options, errors) = OptionsParser.Parse(args, environment);

            (options is null).Should().Be(errors.Count > 0);
            foreach (var error in errors)
            {
                if (error.EndsWith(": unknown option", StringComparison.Ordinal))
                {
                    args.Select(CommandLineSyntax.Printable).Should().Contain(error[..^": unknown option".Length]);
                }
                else if (error.EndsWith(": a value is required", StringComparison.Ordinal))
                {
                    var flag = error[..^": a value is required".Length];
                    Flags.Should().Contain(flag);
                    args.Should().Contain(a => a == flag || a == flag + "=" || a == flag + ":");
                }
                else if (error.Contains(" must be ", StringComparison.Ordinal) && error.Contains(": \"", StringComparison.Ordinal))
                {
                    // <flag or variable>: "<value>" must be <rule>, the value as given there.
                    var source = error[..error.IndexOf(": \"", StringComparison.Ordinal)];
                    var value = error[(source.Length + 3)..error.LastIndexOf("\" must be ", StringComparison.Ordinal)];
                    var fromFlag = args.Select((a, i) => a == source && i + 1 < args.Length ? args[i + 1] : a.StartsWith(source + "=", StringComparison.Ordinal) || a.StartsWith(source + ":", StringComparison.Ordinal) ? a[(source.Length + 1)..] : null);
                    (fromFlag.OfType<string>().Select(CommandLineSyntax.Printable).Contains(value)
                        || (environment.TryGetValue(source, out var v) && v is not null && CommandLineSyntax.Printable(v) == value))
                        .Should().BeTrue($"\"{error}\" quotes a value given to {source}");
                }
                else
                {
                    // A rule between two settings names both, each by its flag or variable.
                    error.Should().MatchRegex(@"^(--[a-z-]+|KUROKU_[A-Z_]+) (and|must be at least) (--[a-z-]+|KUROKU_[A-Z_]+) ");
                }
            }
        }, iter: 500);
    }
}
