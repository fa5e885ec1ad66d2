using System.Collections;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Hosting;

namespace Kuroku.Operator.Cli;

/// <summary>`run`: validates the options, then runs the operator until stopped (SIGTERM, Ctrl-C).</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Any(a => a is "-h" or "--help"))
        {
            await stdout.WriteLineAsync(OptionsParser.Usage);
            return 0;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var (options, errors) = OptionsParser.Parse(args, environment);
        if (options is null)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync("error: " + error);
            }

            await stderr.WriteLineAsync("see: kuroku run --help");
            return 2;
        }

        await using var app = OperatorHost.Build(options);
        await app.RunAsync();
        return 0;
    }
}
