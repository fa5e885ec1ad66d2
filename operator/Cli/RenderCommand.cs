using Kuroku.Operator.Configuration;
using Kuroku.Operator.Rendering;

namespace Kuroku.Operator.Cli;

/// <summary>
/// <c>kuroku render -f FILE|-</c>: reads WebApps from YAML, refuses what the API server and the webhook
/// would refuse (each error on stderr with its field path, exit 1), and prints the objects the operator
/// would create as multi-document YAML on stdout. Offline: no cluster is needed.
/// </summary>
public static class RenderCommand
{
    public const int InvalidInput = 1;
    public const int UsageError = 2;

    public const string Usage = """
        usage: kuroku render -f FILE|- [--default-domain DOMAIN] [--nginx-image IMAGE]

          -f, --filename FILE     the YAML file with one or more WebApps; - reads standard input
          --default-domain D      every app also answers at <app>-<namespace>.D
          --nginx-image I         the nginx image that serves static content
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var parsed = ParseArguments(args);
        if (parsed.Help)
        {
            await stdout.WriteLineAsync(Usage);
            return 0;
        }

        if (parsed.Error is not null)
        {
            await stderr.WriteLineAsync($"error: {parsed.Error}");
            await stderr.WriteLineAsync(Usage);
            return UsageError;
        }

        string text;
        try
        {
            text = parsed.File == "-"
                ? await stdin.ReadToEndAsync(cancellationToken)
                : await File.ReadAllTextAsync(parsed.File!, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: cannot read {parsed.File}: {e.Message}");
            return InvalidInput;
        }

        var result = Render(text, parsed.Options);
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


    /// <summary>Renders YAML text holding WebApps: pure, no I/O (<see cref="RenderPipeline"/>).</summary>
    public static RenderResult Render(string yaml, OperatorOptions options) => RenderPipeline.Render(yaml, options);

    private sealed record Arguments(string? File, OperatorOptions Options, bool Help, string? Error);

    private static Arguments ParseArguments(string[] args)
    {
        string? file = null;
        var options = new OperatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "-h" or "--help":
                    return new Arguments(null, options, true, null);
                case "-f" or "--filename" or "--default-domain" or "--nginx-image":
                    var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
                    if (string.IsNullOrEmpty(value))
                    {
                        return new Arguments(null, options, false, $"{arg} needs a value");
                    }

                    if (arg is "-f" or "--filename")
                    {
                        if (file is not null)
                        {
                            return new Arguments(null, options, false, "give -f only once");
                        }

                        file = value;
                    }
                    else
                    {
                        options = arg == "--default-domain" ? options with { DefaultDomain = value } : options with { NginxImage = value };
                    }

                    break;
                default:
                    return new Arguments(null, options, false, $"unknown argument \"{args[i]}\"");
            }
        }

        return file is null
            ? new Arguments(null, options, false, "render needs -f FILE (or -f - for standard input)")
            : new Arguments(file, options, false, null);
    }
}
