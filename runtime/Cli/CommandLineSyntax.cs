using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace Kuroku.Runtime.Cli;

/// <summary>
/// How Kuroku's programs (the operator, the kubectl plugin, the playground) read a command line, on
/// System.CommandLine: every option takes one value (<c>--flag VALUE</c>, <c>--flag=VALUE</c>), the last
/// occurrence wins, no response files (<c>@file</c>) and no directives. The
/// library only tokenizes and matches: what went wrong is reported by each command in its own words
/// (<see cref="Analyze"/>), so the library never prints an error, a stack trace or an exit code of its own.
/// </summary>
public static class CommandLineSyntax
{
    /// <summary>
    /// No response files: an argument starting with @ is an argument, not a file to read. No bundling (-abc as
    /// -a -b -c): it splits unknown arguments apart; -nVALUE is read as pflag reads it (<see cref="Analyze"/>).
    /// </summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    /// <summary>Help is -h or --help, anywhere on the line (not the library's /?, -? and /h).</summary>
    public static HelpOption Help() => new("--help", "-h")
    {
        Recursive = true,
        Description = "show this help",
        Action = new HelpAction { MaxWidth = HelpWidth },
    };

    /// <summary>Help wraps at this many columns.</summary>
    public const int HelpWidth = 110;

    /// <summary>An option that takes one value; given twice, the last wins; given without a value, the command says so.</summary>
    public static Option<string> ValueOption(string name, string valueName, string description, params string[] aliases) =>
        new(name, aliases)
        {
            HelpName = valueName,
            Description = description,
            // Zero or more occurrences with one token each: a missing value is the command's to report, not the library's.
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value,
        };

    /// <summary>An option that takes no value: given or not.</summary>
    public static Option<bool> Switch(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>Whether the option takes no value (<see cref="Switch"/>).</summary>
    public static bool IsSwitch(Option option) => option?.Arity.MaximumNumberOfValues == 0;

    /// <summary>One use of an option on the line: the flag as typed, and its value (null: none was given).</summary>
    public sealed record Occurrence(Option Option, string Flag, string? Value);

    /// <summary>One argument of the command (not an option or its value); after "--" it may start with a dash.</summary>
    public sealed record Positional(string Value, bool AfterDoubleDash);

    /// <summary>What a command line holds for the command it names.</summary>
    /// <param name="Result">The parse: <see cref="ParseResult.CommandResult"/> is the command the line names.</param>
    /// <param name="Occurrences">Each use of one of that command's options, in order.</param>
    /// <param name="Arguments">The command's own arguments, in order.</param>
    /// <param name="Unknown">Every argument that is neither one of its options, nor a value of one, nor one of its arguments, in order.</param>
    public sealed record Analysis(ParseResult Result, IReadOnlyList<Occurrence> Occurrences, IReadOnlyList<Positional> Arguments, IReadOnlyList<string> Unknown)
    {
        public Command Command => Result.CommandResult.Command;

        /// <summary>Whether -h or --help is on the line.</summary>
        public bool Help => Occurrences.Any(o => o.Option is HelpOption);
    }

    /// <summary>Parses <paramref name="args"/> with the command tree under <paramref name="root"/> and says what each argument is.</summary>
    public static Analysis Analyze(Command root, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        // Which command the line names decides which flags there are.
        var own = FlagsOf(root.Parse(args, Parsing).CommandResult.Command);

        // "--flag=" gives the flag an empty value, which the tokenizer drops (and takes the next argument instead):
        // the flag goes in alone, followed by a stand-in for "no value" that no real argument can be.
        // "-nVALUE" is "-n VALUE", as kubectl (pflag) reads one-letter flags. A flag that takes no value given
        // one ("-h=yes") is neither the flag nor a value: it stays whole, as an unknown argument (the tokenizer
        // would split it and take the value for a command or an argument).
        var none = "\0" + Guid.NewGuid().ToString("N");
        var whole = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new List<string>(args.Count);
        var afterDoubleDash = false;
        foreach (var arg in args)
        {
            afterDoubleDash |= arg == "--";
            if (!afterDoubleDash && arg.Length > 1 && arg[^1] is '=' or ':' && own.TryGetValue(arg[..^1], out var emptied))
            {
                kept.AddRange(IsSwitch(emptied) ? [arg[..^1]] : [arg[..^1], none]);
            }
            else if (!afterDoubleDash && arg.Length > 2 && arg[0] == '-' && arg.IndexOf('=', StringComparison.Ordinal) is > 1 and var eq
                && eq < arg.Length - 1 && own.TryGetValue(arg[..eq], out var valued) && IsSwitch(valued))
            {
                var stand = "\0" + Guid.NewGuid().ToString("N");
                whole[stand] = arg;
                kept.Add(stand);
            }
            else if (!afterDoubleDash && arg.Length > 2 && arg[0] == '-' && arg[1] != '-' && arg[2] is not ('=' or ':')
                && own.TryGetValue(arg[..2], out var shortOption) && !IsSwitch(shortOption))
            {
                kept.AddRange([arg[..2], arg[2..]]);
            }
            else
            {
                kept.Add(arg);
            }
        }

        var result = root.Parse(kept, Parsing);
        var command = result.CommandResult.Command;
        own = FlagsOf(command);

        var claimed = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (var symbol in own.Values.Distinct().Cast<Symbol>().Concat(command.Arguments))
        {
            foreach (var token in result.GetResult(symbol)?.Tokens ?? [])
            {
                claimed.Add(token);
            }
        }

        var occurrences = new List<Occurrence>();
        var positionals = new List<Positional>();
        var unknown = new List<string>();
        var doubleDash = false;
        var tokens = result.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Type == TokenType.Option && own.TryGetValue(token.Value, out var option))
            {
                var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
                var value = next is { Type: TokenType.Argument } && result.GetResult(option) is { } optionResult
                    && optionResult.Tokens.Any(t => ReferenceEquals(t, next))
                    ? next.Value
                    : null;
                occurrences.Add(new Occurrence(option, token.Value, value == none ? null : value));
                i += value is null ? 0 : 1;
            }
            else if (whole.TryGetValue(token.Value, out var original))
            {
                unknown.Add(original);
            }
            else if (token.Type == TokenType.Command || token.Value == none)
            {
                // The command's name, or the stand-in for a missing value (taken by the flag before it).
            }
            else if (token.Type == TokenType.Argument && claimed.Contains(token))
            {
                positionals.Add(new Positional(token.Value, doubleDash));
            }
            else if (token.Type == TokenType.DoubleDash && command.Arguments.Count > 0)
            {
                doubleDash = true;
            }
            else
            {
                unknown.Add(token.Value);
            }
        }

        return new Analysis(result, occurrences, positionals, unknown);
    }

    private static Dictionary<string, Option> FlagsOf(Command command)
    {
        var flags = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var option in OptionsOf(command))
        {
            foreach (var alias in option.Aliases.Prepend(option.Name))
            {
                flags.TryAdd(alias, option);
            }
        }

        return flags;
    }

    /// <summary>
    /// Text from the command line as a message can show it on one line: control characters (a newline, a NUL)
    /// as escapes (\n, \u0000), everything else as it is.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var b = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            b.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return b.ToString();
    }

    /// <summary>A command's own options and the recursive ones of the commands above it.</summary>
    public static List<Option> OptionsOf(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new List<Option>(command.Options);
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            options.AddRange(parent.Options.Where(o => o.Recursive));
        }

        return options;
    }

    /// <summary>The help of <paramref name="command"/>, generated from its declaration, as -h prints it.</summary>
    public static string HelpText(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var path = new List<string> { "--help" };
        var root = command;
        while (root.Parents.OfType<Command>().FirstOrDefault() is { } parent)
        {
            path.Insert(0, root.Name);
            root = parent;
        }

        using var output = new StringWriter { NewLine = "\n" };
        root.Parse(path, Parsing).Invoke(new InvocationConfiguration { Output = output, Error = output, EnableDefaultExceptionHandler = false });
        return output.ToString();
    }

}
