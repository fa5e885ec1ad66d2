using System.Collections;
using System.CommandLine;
using Kuroku.Runtime.Cli;

namespace Kuroku.Operator.Cli;

/// <summary>
/// The entry point's dispatcher: the command tree (System.CommandLine, help generated from it), one class per
/// command. Exit codes: 0 done, 1 refused input (render), 2 a command line or setting that makes no sense.
/// </summary>
public static class CommandLine
{
    public const int UsageError = 2;

    /// <summary>The command tree: kuroku run|render|crds, and help.</summary>
    internal sealed record Tree(Command Root, RunCommand.Declaration Run, RenderCommand.Declaration Render, Command Crds, Command Help);

    internal static Tree Declare()
    {
        var run = RunCommand.Declare();
        var render = RenderCommand.Declare();
        var crds = CrdsCommand.Declare();
        var help = new Command("help", "show the help of kuroku or of a command") { Hidden = true };
        help.Arguments.Add(new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore });
        var root = new Command("kuroku", "Kuroku runs WebApps (kuroku.dev/v1alpha1) on Kubernetes.")
        {
            CommandLineSyntax.Help(),
            run.Command,
            render.Command,
            crds,
            help,
        };
        return new Tree(root, run, render, crds, help);
    }

    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdin, stdout, stderr, ProcessEnvironment(), CancellationToken.None);

    internal static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        var tree = Declare();
        var line = CommandLineSyntax.Analyze(tree.Root, args);
        var command = line.Command;
        if (command == tree.Root)
        {
            if (args.Count == 0)
            {
                await stdout.WriteAsync(CommandLineSyntax.HelpText(tree.Root));
                return UsageError;
            }

            if (line.Unknown.Count > 0)
            {
                return await UsageAsync(stderr, tree.Root, $"unknown command \"{CommandLineSyntax.Printable(line.Unknown[0])}\"");
            }
        }

        if (command == tree.Help)
        {
            var names = line.Result.GetValue<string[]>("COMMAND") ?? [];
            var named = names.Length == 0 ? tree.Root : tree.Root.Subcommands.FirstOrDefault(c => c.Name == names[0] && !c.Hidden);
            if (named is null)
            {
                return await UsageAsync(stderr, tree.Root, $"unknown command \"{CommandLineSyntax.Printable(names[0])}\"");
            }

            await stdout.WriteAsync(CommandLineSyntax.HelpText(named));
            return 0;
        }

        if (line.Help || command == tree.Root)
        {
            await stdout.WriteAsync(CommandLineSyntax.HelpText(command));
            return 0;
        }

        if (command == tree.Run.Command)
        {
            return await RunCommand.RunAsync(line, tree.Run, environment, stdout, stderr);
        }

        if (command == tree.Render.Command)
        {
            return await RenderCommand.RunAsync(line, tree.Render, stdin, stdout, stderr, cancellationToken);
        }

        return await CrdsCommand.RunAsync(line, stdout, stderr);
    }

    /// <summary>Writes each error and where to read the usage; returns <see cref="UsageError"/>.</summary>
    internal static async Task<int> UsageAsync(TextWriter stderr, Command command, params IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await stderr.WriteLineAsync("error: " + error);
        }

        var path = string.Join(' ', command.Parents.OfType<Command>().Select(c => c.Name).Reverse().Append(command.Name));
        await stderr.WriteLineAsync($"see: {path} --help");
        return UsageError;
    }

    private static Dictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
