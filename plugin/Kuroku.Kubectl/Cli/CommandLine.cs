using System.CommandLine;
using System.CommandLine.Help;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl.Cli;

/// <summary>Where to find the cluster, as kubectl's global flags say.</summary>
/// <param name="Kubeconfig">--kubeconfig; null: $KUBECONFIG, else ~/.kube/config.</param>
/// <param name="Context">--context; null: the kubeconfig's current context.</param>
/// <param name="Namespace">-n/--namespace; null: the context's namespace, else "default".</param>
public sealed record GlobalOptions(string? Kubeconfig, string? Context, string? Namespace);

/// <summary>One parsed command line.</summary>
/// <param name="Command">The command, or null for the overview (no command, or `help` alone).</param>
/// <param name="App">The WebApp's name (first positional or -a/--app); null only with Help.</param>
/// <param name="Arguments">The positionals after the app.</param>
/// <param name="Options">The global flags.</param>
/// <param name="Help">-h/--help or `help CMD`: print usage and touch no cluster.</param>
public sealed record Invocation(
    CommandInfo? Command,
    string? App,
    IReadOnlyList<string> Arguments,
    GlobalOptions Options,
    bool Help)
{
    /// <summary>Each use of one of the command's own flags (<see cref="CommandInfo.Options"/>), in order.</summary>
    public IReadOnlyList<CommandLineSyntax.Occurrence> Flags { get; init; } = [];

    /// <summary>The last value given to one of the command's own flags, or null.</summary>
    public string? Value(Option option) => Flags.LastOrDefault(f => f.Option == option && f.Value is not null)?.Value;

    /// <summary>Whether one of the command's own flags (a switch, say) is on the line.</summary>
    public bool Has(Option option) => Flags.Any(f => f.Option == option);
}

/// <summary>A command line that makes no sense; the message says why. Exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Parses `kubectl kuroku` command lines on System.CommandLine: the commands of <see cref="CommandCatalog"/>,
/// the global flags anywhere on the line (as with kubectl, -nprod and --namespace=prod too), -- before
/// arguments that start with a dash.
/// </summary>
public static class CommandLine
{
    /// <summary>The global flags, as help lists them.</summary>
    internal static IReadOnlyList<Option> GlobalOptions() => Trees.GetValue(CommandCatalog.All, Declare).Globals.All;

    public static Invocation Parse(IReadOnlyList<string> args) => Parse(args, CommandCatalog.All);

    /// <summary>Parses a line for these commands (tests pass their own).</summary>
    internal static Invocation Parse(IReadOnlyList<string> args, IReadOnlyList<CommandInfo> commands)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(commands);
        // One tree per list of commands: a command's own flags are objects of its declaration, which a tree adopts.
        var tree = Trees.GetValue(commands, Declare);
        var line = CommandLineSyntax.Analyze(tree.Root, args);
        var globals = tree.Globals;

        if (line.Unknown.Count > 0)
        {
            // Outside any command: the first word names a command that does not exist, or a flag that does not.
            var first = CommandLineSyntax.Printable(line.Unknown[0]);
            if (LooksLikeFlag(first) && CommandLineSyntax.OptionsOf(line.Command).FirstOrDefault(o => o.Name == FlagOf(first) || o.Aliases.Contains(FlagOf(first)))
                is { } known && CommandLineSyntax.IsSwitch(known))
            {
                throw new UsageException($"flag {FlagOf(first)} takes no value, got \"{first}\"");
            }

            throw new UsageException(LooksLikeFlag(first)
                ? $"unknown flag: {FlagOf(first)}{CommandLineHint(tree.Commands.GetValueOrDefault(line.Command))}"
                : $"unknown command \"{first}\"; commands: {string.Join(", ", commands.Select(c => c.Name))}");
        }

        var options = new GlobalOptions(Last(line, globals.Kubeconfig), Last(line, globals.Context), Last(line, globals.Namespace));
        var app = Last(line, globals.App);
        var command = tree.Commands.GetValueOrDefault(line.Command);
        var positionals = line.Arguments;
        if (line.Command == tree.Help)
        {
            if (positionals.Count == 0)
            {
                return new Invocation(null, app, [], options, Help: true);
            }

            command = CommandInfoOrThrow(positionals[0].Value, commands);
            return new Invocation(command, app, [], options, Help: true);
        }

        if (line.Help)
        {
            return new Invocation(command, app, [], options, Help: true);
        }

        if (line.Occurrences.FirstOrDefault(o => (o.Value is null && !CommandLineSyntax.IsSwitch(o.Option)) || o.Value?.Length == 0) is { } empty)
        {
            throw new UsageException($"flag {empty.Flag} needs a value");
        }

        if (command is null)
        {
            // No command: the overview, as `kubectl kuroku` alone prints it.
            return new Invocation(null, app, [], options, Help: true);
        }

        if (positionals.FirstOrDefault(p => !p.AfterDoubleDash && LooksLikeFlag(p.Value)) is { } flag)
        {
            throw new UsageException($"unknown flag: {CommandLineSyntax.Printable(FlagOf(flag.Value))}{CommandLineHint(command)}");
        }

        var arguments = positionals.Select(p => p.Value).ToList();
        if (app is null && arguments.Count > 0)
        {
            app = arguments[0];
            arguments.RemoveAt(0);
        }

        if (string.IsNullOrEmpty(app))
        {
            throw new UsageException($"{command.Name} needs the name of a WebApp\nusage: {command.Usage}");
        }

        if (arguments.Count < command.MinArguments)
        {
            throw new UsageException($"{command.Name} needs {command.ArgumentsName}\nusage: {command.Usage}");
        }

        if (arguments.Count > command.MaxArguments)
        {
            throw new UsageException(
                $"{command.Name} takes {(command.MaxArguments == 0 ? "no arguments" : "at most " + command.MaxArguments + " argument(s)")} after the app, got: {CommandLineSyntax.Printable(string.Join(" ", arguments))}\nusage: {command.Usage}");
        }

        var own = command.Options.ToHashSet();
        return new Invocation(command, app, arguments, options, Help: false)
        {
            Flags = line.Occurrences.Where(o => own.Contains(o.Option)).ToList(),
        };
    }

    private sealed record Globals(Option<string> Namespace, Option<string> App, Option<string> Context, Option<string> Kubeconfig, HelpOption Help)
    {
        public IReadOnlyList<Option> All => [App, Namespace, Context, Kubeconfig, Help];
    }

    private sealed record Tree(Command Root, Command Help, IReadOnlyDictionary<Command, CommandInfo> Commands, Globals Globals);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<CommandInfo>, Tree> Trees = [];

    private static Tree Declare(IReadOnlyList<CommandInfo> commands)
    {
        var globals = new Globals(
            Global(CommandLineSyntax.ValueOption("--namespace", "NS", "the namespace (default: the context's namespace, else \"default\")", "-n")),
            Global(CommandLineSyntax.ValueOption("--app", "APP", "the WebApp (instead of the first argument)", "-a")),
            Global(CommandLineSyntax.ValueOption("--context", "NAME", "the kubeconfig context to use")),
            Global(CommandLineSyntax.ValueOption("--kubeconfig", "PATH", "the kubeconfig (default: $KUBECONFIG, else ~/.kube/config)")),
            CommandLineSyntax.Help());
        globals.Help.Description = "help for a command";
        var root = new Command("kubectl-kuroku");
        foreach (var option in globals.All)
        {
            root.Options.Add(option);
        }

        var byCommand = new Dictionary<Command, CommandInfo>();
        foreach (var info in commands)
        {
            var command = new Command(info.Name, info.Summary) { new Argument<string[]>("ARGUMENTS") { Arity = ArgumentArity.ZeroOrMore } };
            foreach (var alias in info.Aliases)
            {
                command.Aliases.Add(alias);
            }

            foreach (var option in info.Options)
            {
                command.Options.Add(option);
            }

            root.Subcommands.Add(command);
            byCommand[command] = info;
        }

        var help = new Command("help") { new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore } };
        root.Subcommands.Add(help);
        return new Tree(root, help, byCommand, globals);
    }

    /// <summary>For a command that runs a command line (run): where its flags go.</summary>
    private static string CommandLineHint(CommandInfo? command) =>
        command is { TakesCommandLine: true } ? $" (put the command after \"--\" so that its flags are its own)\nusage: {command.Usage}" : "";

    private static Option<string> Global(Option<string> option)
    {
        option.Recursive = true;
        return option;
    }

    private static string? Last(CommandLineSyntax.Analysis line, Option option) =>
        line.Occurrences.LastOrDefault(o => o.Option == option && o.Value is not null)?.Value;

    private static CommandInfo CommandInfoOrThrow(string name, IReadOnlyList<CommandInfo> commands) =>
        CommandCatalog.Find(commands, name)
        ?? throw new UsageException($"unknown command \"{CommandLineSyntax.Printable(name)}\"; commands: {string.Join(", ", commands.Select(c => c.Name))}");

    /// <summary>-x, --x, --x=y: a flag; "-" and "-5" are arguments.</summary>
    private static bool LooksLikeFlag(string arg) => arg.Length > 1 && arg[0] == '-' && !arg.Skip(1).All(char.IsAsciiDigit);

    /// <summary>The flag part of an argument: --output of --output=json, -x of -xvalue (as pflag reads one-letter flags).</summary>
    private static string FlagOf(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            return arg[..eq];
        }

        return arg.Length > 2 && arg[1] != '-' ? arg[..2] : arg;
    }
}
