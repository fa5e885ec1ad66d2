using System.Text;

namespace Kuroku.Kubectl.Cli;

/// <summary>The commands, by name.</summary>
public enum CommandKind
{
    Releases,
    Rollback,
    Ps,
    Scale,
    Config,
    ConfigSet,
    ConfigUnset,
    MaintenanceOn,
    MaintenanceOff,
}

/// <summary>One command: its name, how it is called and what it does.</summary>
public sealed record CommandInfo(
    CommandKind Kind,
    string Name,
    IReadOnlyList<string> Aliases,
    string Usage,
    string Summary,
    string Details,
    int MinArguments,
    int MaxArguments,
    string ArgumentsName);

/// <summary>Every command with its help text; `kubectl kuroku -h` and `kubectl kuroku CMD -h` print these.</summary>
public static class CommandCatalog
{
    public static IReadOnlyList<CommandInfo> All { get; } =
    [
        new(CommandKind.Releases, "releases", [], "kubectl kuroku releases APP",
            "List the releases of an app, newest first",
            "Reads status.releases of the WebApp. The live release (status.release) is marked \"(live)\".",
            0, 0, ""),
        new(CommandKind.Rollback, "rollback", ["releases:rollback"], "kubectl kuroku rollback APP vN",
            "Run release vN's image, config vars and commands again, as a new release",
            "Reads the ControllerRevision APP-vN and merge-patches the WebApp with its image, env, envFrom and\n"
            + "process commands (replicas, sizes, autoscaling, domains, static and maintenance stay as they are),\n"
            + "and the annotation kuroku.dev/rollback-to. The operator then makes a new release \"rollback to vN\".\n"
            + "Under GitOps, commit the same change to git, or the next sync undoes the rollback.",
            1, 1, "the release to roll back to, for example v6"),
        new(CommandKind.Ps, "ps", [], "kubectl kuroku ps APP",
            "List the processes of an app with their replicas, size and command",
            "REPLICAS is the desired count (the autoscaler's while autoscaling), READY ready/desired,\n"
            + "UP-TO-DATE the replicas running the live release.",
            0, 0, ""),
        new(CommandKind.Scale, "scale", ["ps:scale"], "kubectl kuroku scale APP PROCESS=N[:SIZE] [PROCESS=N[:SIZE]...]",
            "Set the replica count (and optionally the size) of processes",
            "Merge-patches spec.processes.<process>.replicas (and .size). A process with autoscaling is refused:\n"
            + "its HorizontalPodAutoscaler owns the replica count, so change spec.processes.<process>.autoscaling\n"
            + "(minReplicas, maxReplicas) instead, or remove autoscaling to scale by hand.\n"
            + "Example: kubectl kuroku scale shop web=3 worker=0",
            1, int.MaxValue, "at least one PROCESS=N"),
        new(CommandKind.Config, "config", ["config:get"], "kubectl kuroku config APP",
            "Show the config vars of an app",
            "Prints spec.env as NAME=VALUE; references print as NAME=<from secret NAME key KEY>.\n"
            + "envFrom sources follow as comment lines.",
            0, 0, ""),
        new(CommandKind.ConfigSet, "config:set", [], "kubectl kuroku config:set APP NAME=VALUE [NAME=VALUE...]",
            "Set config vars; makes a new release",
            "Adds or replaces entries of spec.env, in place, keeping the order and the other entries. The write is\n"
            + "a JSON patch guarded by a test of metadata.resourceVersion, retried when the app changed meanwhile.",
            1, int.MaxValue, "at least one NAME=VALUE"),
        new(CommandKind.ConfigUnset, "config:unset", ["config:remove"], "kubectl kuroku config:unset APP NAME [NAME...]",
            "Remove config vars; makes a new release",
            "Removes entries of spec.env. A name that is not in spec.env is an error.",
            1, int.MaxValue, "at least one NAME"),
        new(CommandKind.MaintenanceOn, "maintenance:on", [], "kubectl kuroku maintenance:on APP",
            "Answer HTTP with 503 and a maintenance page",
            "Merge-patches spec.maintenance to true. Processes keep running; nothing restarts.",
            0, 0, ""),
        new(CommandKind.MaintenanceOff, "maintenance:off", [], "kubectl kuroku maintenance:off APP",
            "Serve the app again",
            "Merge-patches spec.maintenance to false. Nothing restarts.",
            0, 0, ""),
    ];

    public static CommandInfo? Find(string name) =>
        All.FirstOrDefault(c => c.Name == name || c.Aliases.Contains(name));

    public const string GlobalFlags =
        "Flags (anywhere on the line):\n"
        + "  -a, --app APP          the WebApp (instead of the first argument)\n"
        + "  -n, --namespace NS     the namespace (default: the context's namespace, else \"default\")\n"
        + "      --context NAME     the kubeconfig context to use\n"
        + "      --kubeconfig PATH  the kubeconfig (default: $KUBECONFIG, else ~/.kube/config)\n"
        + "  -h, --help             help for a command\n";

    public static string Overview()
    {
        var b = new StringBuilder();
        b.Append("kubectl kuroku: work with Kuroku WebApps as with the Heroku CLI.\n\nCommands:\n");
        var width = All.Max(c => c.Name.Length);
        foreach (var c in All)
        {
            b.Append("  ").Append(c.Name.PadRight(width + 2)).Append(c.Summary).Append('\n');
        }

        b.Append('\n').Append(GlobalFlags);
        b.Append("\nUse \"kubectl kuroku COMMAND -h\" for more about a command.\n");
        return b.ToString();
    }

    public static string Help(CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var b = new StringBuilder();
        b.Append(command.Summary).Append(".\n\nUsage:\n  ").Append(command.Usage).Append("\n\n");
        if (command.Aliases.Count > 0)
        {
            b.Append("Aliases: ").Append(string.Join(", ", command.Aliases)).Append("\n\n");
        }

        b.Append(command.Details).Append("\n\n").Append(GlobalFlags);
        return b.ToString();
    }
}
