using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.Commands;

/// <summary>`config APP`: the config vars of an app.</summary>
public static class ConfigCommand
{
    public static CommandInfo Info { get; } = new(
        "config",
        "kubectl kuroku config APP",
        "Show the config vars of an app",
        "Prints spec.env as NAME=VALUE; references print as NAME=<from secret NAME key KEY>.\n"
        + "envFrom sources follow as comment lines.")
    {
        Aliases = ["config:get"],
        RunAsync = async (run, cancellationToken) =>
            await run.Out.WriteAsync(ConfigView.Render(await run.GetAppAsync(cancellationToken))),
    };
}
