using System.CommandLine;
using System.Globalization;
using Kuroku.Runtime.Cli;

namespace Kuroku.Playground;

/// <summary>
/// The playground's command line, read as the operator reads its own (System.CommandLine through
/// <see cref="CommandLineSyntax"/>: --flag VALUE or --flag=VALUE, the last occurrence wins). Pure: every bad
/// argument is reported at once, naming the flag and the rule.
/// </summary>
public static class PlaygroundCommandLine
{
    /// <summary>What a command line asks: help, or options, or neither (then <see cref="Errors"/> says why).</summary>
    public sealed record Parsed(bool Help, PlaygroundOptions? Options, IReadOnlyList<string> Errors);

    private static readonly Option<string> Port = CommandLineSyntax.ValueOption("--port", "N",
        $"the API server's port on 127.0.0.1 (default {PlaygroundOptions.DefaultPort}; 0 picks a free one)");

    private static readonly Option<string> Kubeconfig = CommandLineSyntax.ValueOption("--kubeconfig", "PATH",
        "where to write the kubeconfig (default ~/.kube/kuroku-playground.yaml; an existing file is only overwritten if the playground wrote it)");

    private static readonly Option<string> PodStartDelay = CommandLineSyntax.ValueOption("--pod-start-delay", "SECONDS",
        "how long a pod takes to start and become ready (default 1)");

    private static readonly Option<string> JobRunTime = CommandLineSyntax.ValueOption("--job-run-time", "SECONDS",
        "how long a Job's pod (a release phase) runs before it exits (default 3)");

    private static readonly Option<string> OperatorPort = CommandLineSyntax.ValueOption("--operator-port", "N",
        "the operator's port for /metrics, /healthz and /readyz (default 0: a free one)");

    private static readonly Option<bool> Verbose = CommandLineSyntax.Switch("--verbose", "show the operator's own logs (JSON lines), not only its warnings");

    public static Command Declare() => new("Kuroku.Playground",
        "A Kubernetes API server with the WebApp CRD, the Kuroku operator reconciling against it, and stand-ins for the nodes and "
        + "the built-in controllers (pods start, Deployments become available, Jobs complete). Runs until Ctrl-C or SIGTERM.")
    {
        CommandLineSyntax.Help(),
        Port,
        Kubeconfig,
        PodStartDelay,
        JobRunTime,
        OperatorPort,
        Verbose,
    };

    public static string HelpText() => CommandLineSyntax.HelpText(Declare());

    public static Parsed Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Declare();
        var line = CommandLineSyntax.Analyze(root, args);
        if (line.Help)
        {
            return new Parsed(true, null, []);
        }

        var errors = new List<string>();
        errors.AddRange(line.Unknown.Select(token => $"{CommandLineSyntax.Printable(token)}: unknown argument"));
        errors.AddRange(line.Arguments.Select(a => $"{CommandLineSyntax.Printable(a.Value)}: unknown argument"));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var occurrence in line.Occurrences)
        {
            if (CommandLineSyntax.IsSwitch(occurrence.Option))
            {
                values[occurrence.Option.Name] = "true";
            }
            else if (occurrence.Value is null)
            {
                errors.Add($"{occurrence.Flag}: a value is required");
            }
            else
            {
                values[occurrence.Option.Name] = occurrence.Value;
            }
        }

        var defaults = new PlaygroundOptions();
        int PortOf(Option option, int fallback)
        {
            if (!values.TryGetValue(option.Name, out var text))
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                return port;
            }

            errors.Add($"{option.Name}: \"{CommandLineSyntax.Printable(text)}\" must be a port number from 0 to 65535 (0 picks a free one)");
            return fallback;
        }

        TimeSpan SecondsOf(Option option, TimeSpan fallback)
        {
            if (!values.TryGetValue(option.Name, out var text))
            {
                return fallback;
            }

            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds <= 3600)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            errors.Add($"{option.Name}: \"{CommandLineSyntax.Printable(text)}\" must be a number of seconds from 0 to 3600 (0.5 is half a second)");
            return fallback;
        }

        var kubeconfig = defaults.Kubeconfig;
        if (values.TryGetValue(Kubeconfig.Name, out var path))
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                errors.Add($"{Kubeconfig.Name}: must be the path of a file");
            }
            else
            {
                kubeconfig = path;
            }
        }

        var options = defaults with
        {
            Port = PortOf(Port, defaults.Port),
            OperatorPort = PortOf(OperatorPort, defaults.OperatorPort),
            Kubeconfig = kubeconfig,
            Verbose = values.ContainsKey(Verbose.Name),
            Simulation = defaults.Simulation with
            {
                PodStartDelay = SecondsOf(PodStartDelay, defaults.Simulation.PodStartDelay),
                JobRunTime = SecondsOf(JobRunTime, defaults.Simulation.JobRunTime),
            },
        };
        return errors.Count > 0 ? new Parsed(false, null, errors) : new Parsed(false, options, []);
    }
}
