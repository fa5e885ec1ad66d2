using System.CommandLine;
using Kuroku.Operator.Configuration;
using Kuroku.Runtime.Cli;

namespace Kuroku.Operator.Cli;

/// <summary>
/// Turns `run` flags and KUROKU_* environment variables into <see cref="OperatorOptions"/>, as
/// <see cref="OperatorSettings.Run"/> declares them; flags win over the environment, an empty variable counts
/// as unset. Pure: the environment comes in as a dictionary. Every bad value is reported at once, each naming
/// the flag or variable that carried it and the rule.
/// </summary>
public static class OptionsParser
{
    /// <summary>`run --help`: every option with its variable and default, generated from the declarations.</summary>
    /// <summary>The refusal of a value, naming where it came from (the flag as typed, or the variable) and the rule.</summary>
    public static string Refusal(OperatorSetting setting, string source, string value)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return $"{source}: \"{CommandLineSyntax.Printable(value)}\" must be {setting.Rule}";
    }

    public static string Usage => CommandLineSyntax.HelpText(CommandLine.Declare().Run.Command);

    /// <summary>The options, or every error found.</summary>
    public static (OperatorOptions? Options, IReadOnlyList<string> Errors) Parse(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var tree = CommandLine.Declare();
        return Read(CommandLineSyntax.Analyze(tree.Root, [tree.Run.Command.Name, .. args]), tree.Run.Settings, environment);
    }

    /// <summary>`run`'s options from a parsed line (flags first, then the environment), or every error.</summary>
    internal static (OperatorOptions? Options, IReadOnlyList<string> Errors) Read(
        CommandLineSyntax.Analysis line, SettingOptions settings, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        errors.AddRange(line.Unknown.Select(token => $"{CommandLineSyntax.Printable(token)}: unknown option"));
        errors.AddRange(line.Occurrences.Where(o => o.Value is null && settings.Has(o.Option)).Select(o => $"{o.Flag}: a value is required"));

        var inCluster = environment.TryGetValue("KUBERNETES_SERVICE_HOST", out var host) && !string.IsNullOrEmpty(host);
        environment.TryGetValue("POD_NAMESPACE", out var podNamespace);
        environment.TryGetValue("POD_NAME", out var podName);
        var defaults = new OperatorOptions();
        var start = defaults with
        {
            LeaderElectionNamespace = string.IsNullOrEmpty(podNamespace) ? defaults.LeaderElectionNamespace : podNamespace,
            Identity = string.IsNullOrEmpty(podName) ? defaults.Identity : podName,
        };

        var (options, valueErrors, sources) = settings.Read(line, environment, start);
        errors.AddRange(valueErrors);
        if (!sources.ContainsKey(OperatorSettings.LeaderElection))
        {
            options = options with { LeaderElection = inCluster && options.Kubeconfig is null };
        }

        if (valueErrors.Count == 0)
        {
            errors.AddRange(OperatorSettings.Conflicts(options, s => sources.GetValueOrDefault(s, s.Flag)));
        }

        return errors.Count == 0 ? (options, errors) : (null, errors);
    }
}

/// <summary>
/// The System.CommandLine options of some settings, one each: the flag, the value's name, and help that
/// says the variable (when read from the environment) and the default.
/// </summary>
internal sealed class SettingOptions
{
    private readonly List<(Option Option, OperatorSetting Setting)> settings = [];
    private readonly bool fromEnvironment;

    /// <summary>Longer notes go on one line each.</summary>
    private const int NotesWidth = 64;

    public SettingOptions(IEnumerable<OperatorSetting> settings, bool fromEnvironment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.fromEnvironment = fromEnvironment;
        foreach (var setting in settings)
        {
            // Help shows the variable and the default on a line of their own under the description.
            string[] notes =
            [
                .. fromEnvironment && setting.Variable is { } variable ? [$"env {variable}"] : Array.Empty<string>(),
                .. setting.Default is { } value ? [$"default {value}"] : Array.Empty<string>(),
            ];
            var joined = string.Join("; ", notes);
            var help = notes.Length == 0 ? setting.Description
                : setting.Description + "\n" + (joined.Length <= NotesWidth ? joined : string.Join("\n", notes));
            this.settings.Add((CommandLineSyntax.ValueOption(setting.Flag, setting.ValueName, help), setting));
        }
    }

    public IEnumerable<Option> Options => settings.Select(s => s.Option);

    public bool Has(Option option) => settings.Exists(s => s.Option == option);

    /// <summary>
    /// Applies the value of each setting to <paramref name="start"/>: the flag's (the last one given), else the
    /// variable's. Returns the options, a refusal per bad value (in declaration order), and where each value came from.
    /// </summary>
    public (OperatorOptions Options, IReadOnlyList<string> Errors, IReadOnlyDictionary<OperatorSetting, string> Sources) Read(
        CommandLineSyntax.Analysis line, IReadOnlyDictionary<string, string?> environment, OperatorOptions start)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(start);
        var options = start;
        var errors = new List<string>();
        var sources = new Dictionary<OperatorSetting, string>();
        foreach (var (option, setting) in settings)
        {
            var flag = line.Occurrences.LastOrDefault(o => o.Option == option && o.Value is not null);
            (string Value, string Source)? given = flag is not null
                ? (flag.Value!, flag.Flag)
                : fromEnvironment && setting.Variable is { } variable && environment.TryGetValue(variable, out var v) && !string.IsNullOrEmpty(v)
                    ? (v, variable)
                    : null;
            if (given is not { } value)
            {
                continue;
            }

            sources[setting] = value.Source;
            if (setting.Apply(options, value.Value) is { } applied)
            {
                options = applied;
            }
            else
            {
                errors.Add(OptionsParser.Refusal(setting, value.Source, value.Value));
            }
        }

        return (options, errors, sources);
    }
}
