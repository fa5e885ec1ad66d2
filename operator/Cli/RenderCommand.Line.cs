using System.CommandLine;
using Kuroku.Operator.Configuration;
using Kuroku.Runtime.Cli;

namespace Kuroku.Operator.Cli;

/// <summary><c>kuroku render</c>'s command line: its declaration, and reading the file it names.</summary>
public static partial class RenderCommand
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    /// <summary>The `render` command: -f, and the <see cref="OperatorSettings.Render"/> settings as `run` declares them.</summary>
    internal sealed record Declaration(Command Command, Option<string> File, SettingOptions Settings);

    internal static Declaration Declare()
    {
        var file = CommandLineSyntax.ValueOption("--filename", "FILE|-", "the YAML file with one or more WebApps; - reads standard input", "-f");
        var settings = new SettingOptions(OperatorSettings.Render, fromEnvironment: false);
        var command = new Command("render",
            "Validate WebApps and print the objects the operator would create; offline, exit code 1 if refused.")
        {
            file,
        };
        foreach (var option in settings.Options)
        {
            command.Options.Add(option);
        }

        return new Declaration(command, file, settings);
    }

    internal static async Task<int> RunAsync(CommandLineSyntax.Analysis line, Declaration declaration,
        TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var errors = new List<string>();
        errors.AddRange(line.Unknown.Select(token => $"unknown argument \"{CommandLineSyntax.Printable(token)}\""));
        errors.AddRange(line.Occurrences.Where(o => o.Value is null || (o.Option == declaration.File && o.Value.Length == 0))
            .Select(o => $"{o.Flag} needs a value"));
        var files = line.Occurrences.Where(o => o.Option == declaration.File && !string.IsNullOrEmpty(o.Value)).ToList();
        if (files.Count > 1)
        {
            errors.Add("give -f only once");
        }
        else if (files.Count == 0 && !line.Occurrences.Any(o => o.Option == declaration.File))
        {
            errors.Add("render needs -f FILE (or -f - for standard input)");
        }

        var (options, valueErrors, _) = declaration.Settings.Read(line, NoEnvironment, new OperatorOptions());
        errors.AddRange(valueErrors);
        if (errors.Count > 0)
        {
            return await CommandLine.UsageAsync(stderr, declaration.Command, errors);
        }

        var path = files[0].Value!;
        string text;
        try
        {
            text = path == "-"
                ? await stdin.ReadToEndAsync(cancellationToken)
                : await System.IO.File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"error: cannot read {CommandLineSyntax.Printable(path)}: {CommandLineSyntax.Printable(e.Message)}");
            return InvalidInput;
        }

        var result = Render(text, options);
        foreach (var error in result.Errors)
        {
            await stderr.WriteLineAsync($"error: {error}");
        }

        if (result.Errors.Count > 0)
        {
            return InvalidInput;
        }

        await stdout.WriteAsync(result.Yaml);
        return 0;
    }
}
