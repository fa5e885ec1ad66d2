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
    bool Help);

/// <summary>A command line that makes no sense; the message says why. Exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Parses `kubectl kuroku` command lines. Flags may stand anywhere, as with kubectl.</summary>
public static class CommandLine
{
    public static Invocation Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? kubeconfig = null, context = null, ns = null, app = null;
        var help = false;
        var positionals = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (arg.Length > 1 && arg[0] == '-' && !IsNegativeNumber(arg))
            {
                var (flag, inline) = SplitFlag(arg);
                string Value()
                {
                    if (inline is not null)
                    {
                        return inline.Length > 0 ? inline : throw new UsageException($"flag {flag} needs a value");
                    }

                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"flag {flag} needs a value");
                    }

                    return args[++i];
                }

                switch (flag)
                {
                    case "--kubeconfig": kubeconfig = Value(); break;
                    case "--context": context = Value(); break;
                    case "-n" or "--namespace": ns = Value(); break;
                    case "-a" or "--app": app = Value(); break;
                    default: throw new UsageException($"unknown flag: {flag}");
                }

                continue;
            }

            positionals.Add(arg);
        }

        var options = new GlobalOptions(kubeconfig, context, ns);
        if (positionals.Count == 0)
        {
            return new Invocation(null, app, [], options, Help: true);
        }

        var name = positionals[0];
        positionals.RemoveAt(0);
        if (name == "help")
        {
            if (positionals.Count == 0)
            {
                return new Invocation(null, app, [], options, Help: true);
            }

            name = positionals[0];
            positionals.Clear();
            help = true;
        }

        var command = CommandCatalog.Find(name)
            ?? throw new UsageException($"unknown command \"{name}\"; commands: {string.Join(", ", CommandCatalog.All.Select(c => c.Name))}");
        if (help)
        {
            return new Invocation(command, app, positionals, options, Help: true);
        }

        if (app is null)
        {
            if (positionals.Count == 0)
            {
                throw new UsageException($"{command.Name} needs the name of a WebApp\nusage: {command.Usage}");
            }

            app = positionals[0];
            positionals.RemoveAt(0);
        }

        if (positionals.Count < command.MinArguments)
        {
            throw new UsageException($"{command.Name} needs {command.ArgumentsName}\nusage: {command.Usage}");
        }

        if (positionals.Count > command.MaxArguments)
        {
            throw new UsageException(
                $"{command.Name} takes {(command.MaxArguments == 0 ? "no arguments" : "at most " + command.MaxArguments + " argument(s)")} after the app, got: {string.Join(" ", positionals)}\nusage: {command.Usage}");
        }

        return new Invocation(command, app, positionals, options, Help: false);
    }

    private static (string Flag, string? Inline) SplitFlag(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        // -nshop, as kubectl (pflag) accepts for one-letter flags.
        if (arg.Length > 2 && arg[0] == '-' && arg[1] != '-')
        {
            return (arg[..2], arg[2..]);
        }

        return (arg, null);
    }

    private static bool IsNegativeNumber(string arg) => arg.Length > 1 && arg[0] == '-' && arg.Skip(1).All(char.IsAsciiDigit);
}
