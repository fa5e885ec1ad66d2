using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.Commands;

/// <summary>`releases APP`: the releases of an app, newest first.</summary>
public static class ReleasesCommand
{
    public static CommandInfo Info { get; } = new(
        "releases",
        "kubectl kuroku releases APP",
        "List the releases of an app, newest first",
        "Reads status.releases of the WebApp. The live release (status.release) is marked \"(live)\".")
    {
        RunAsync = async (run, cancellationToken) =>
            await run.Out.WriteAsync(ReleasesView.Render(await run.GetAppAsync(cancellationToken), run.Now)),
    };
}
