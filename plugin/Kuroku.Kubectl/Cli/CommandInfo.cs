using System.CommandLine;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl.Cli;

/// <summary>
/// One command of the plugin, declared once (a file under Commands/, listed in <see cref="CommandCatalog.All"/>):
/// its name and help, what it takes after the app, its own flags, and what it does.
/// </summary>
/// <param name="Name">What follows `kubectl kuroku`, for example config:set.</param>
/// <param name="Usage">The usage line, for example "kubectl kuroku scale APP PROCESS=N[:SIZE] [PROCESS=N[:SIZE]...]".</param>
/// <param name="Summary">One line for the overview.</param>
/// <param name="Details">What it reads and writes, for its own help.</param>
public sealed record CommandInfo(string Name, string Usage, string Summary, string Details)
{
    /// <summary>Other names it answers to (the Heroku CLI's, for example ps:scale).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>How many arguments it takes after the app.</summary>
    public int MinArguments { get; init; }

    /// <summary>At most this many arguments after the app; <see cref="int.MaxValue"/>: any number.</summary>
    public int MaxArguments { get; init; }

    /// <summary>
    /// The arguments after the app are a command line of their own (run's COMMAND ARGS): a dash-word before "--"
    /// is refused with the hint to put the command after "--".
    /// </summary>
    public bool TakesCommandLine { get; init; }

    /// <summary>What the arguments are, completing "NAME needs ...", for example "at least one PROCESS=N".</summary>
    public string ArgumentsName { get; init; } = "";

    /// <summary>
    /// Flags of this command only (the global ones are in <see cref="CommandLine"/>): make them with
    /// <see cref="CommandLineSyntax.ValueOption"/> or <see cref="CommandLineSyntax.Switch"/>, read them
    /// with <see cref="Invocation.Value"/> and <see cref="Invocation.Has"/>.
    /// </summary>
    public IReadOnlyList<Option> Options { get; init; } = [];

    /// <summary>What it does: read the app, decide with the pure parts, write, say what changed.</summary>
    public required Func<CommandContext, CancellationToken, Task> RunAsync { get; init; }
}
