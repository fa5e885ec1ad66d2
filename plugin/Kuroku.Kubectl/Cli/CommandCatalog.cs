using System.CommandLine;
using System.Text;
using Kuroku.Kubectl.Commands;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl.Cli;

/// <summary>
/// Every command, in the order help lists them, and the help text generated from their declarations.
/// A new command is a file under Commands/ declaring its <see cref="CommandInfo"/>, and one line here.
/// </summary>
public static class CommandCatalog
{
    public static IReadOnlyList<CommandInfo> All { get; } =
    [
        ReleasesCommand.Info,
        RollbackCommand.Info,
        PsCommand.Info,
        ScaleCommand.Info,
        ConfigCommand.Info,
        ConfigSetCommand.Info,
        ConfigUnsetCommand.Info,
        MaintenanceCommands.On,
        MaintenanceCommands.Off,
        RunCommand.Info,
        RunCommand.Detached,
        LogsCommand.Info,
        RestartCommand.Info,
        PromoteCommand.Info,
    ];

    public static CommandInfo? Find(string name) => Find(All, name);

    internal static CommandInfo? Find(IEnumerable<CommandInfo> commands, string name) =>
        commands.FirstOrDefault(c => c.Name == name || c.Aliases.Contains(name));

    /// <summary>`kubectl kuroku --help`.</summary>
    public static string Overview() => Overview(All);

    internal static string Overview(IReadOnlyList<CommandInfo> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var b = new StringBuilder();
        b.Append("kubectl kuroku: work with Kuroku WebApps as with the Heroku CLI.\n\nCommands:\n");
        var width = commands.Max(c => c.Name.Length);
        foreach (var c in commands)
        {
            b.Append("  ").Append(c.Name.PadRight(width + 2)).Append(c.Summary).Append('\n');
        }

        b.Append('\n').Append(Flags("Flags (anywhere on the line):", CommandLine.GlobalOptions()));
        b.Append("\nUse \"kubectl kuroku COMMAND -h\" for more about a command.\n");
        return b.ToString();
    }

    /// <summary>`kubectl kuroku COMMAND --help`.</summary>
    public static string Help(CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var b = new StringBuilder();
        b.Append(command.Summary).Append(".\n\nUsage:\n  ").Append(command.Usage).Append("\n\n");
        if (command.Aliases.Count > 0)
        {
            b.Append("Aliases: ").Append(string.Join(", ", command.Aliases)).Append("\n\n");
        }

        b.Append(command.Details).Append("\n\n");
        if (command.Options.Count > 0)
        {
            b.Append(Flags($"Flags of {command.Name}:", command.Options)).Append('\n');
        }

        b.Append(Flags("Flags (anywhere on the line):", CommandLine.GlobalOptions()));
        return b.ToString();
    }

    /// <summary>One line per flag: its names, its value's name and what it does, in columns.</summary>
    private static string Flags(string title, IEnumerable<Option> options)
    {
        var rows = options.Select(o =>
        {
            var names = o.Aliases.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var shortNames = names.Count == 0 ? "    " : string.Join(", ", names) + ", ";
            var value = CommandLineSyntax.IsSwitch(o) || o.HelpName is null ? "" : " " + o.HelpName;
            return (Names: shortNames + o.Name + value, o.Description);
        }).ToList();
        var width = rows.Max(r => r.Names.Length);
        var b = new StringBuilder(title).Append('\n');
        foreach (var (names, description) in rows)
        {
            b.Append("  ").Append(names.PadRight(width + 2)).Append(description).Append('\n');
        }

        return b.ToString();
    }
}
