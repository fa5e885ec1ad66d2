using System.CommandLine;
using System.Text.Json.Nodes;
using Kuroku.Operator.Crds;
using Kuroku.Operator.Serialization;
using Kuroku.Runtime.Cli;
using k8s;

namespace Kuroku.Operator.Cli;

/// <summary><c>kuroku crds</c>: prints the CustomResourceDefinition of WebApp as YAML.</summary>
public static class CrdsCommand
{
    /// <summary>The CRD exactly as <c>crds</c> prints it (and as crds/webapps.kuroku.dev.yaml holds it).</summary>
    public static string Render() =>
        YamlJson.ToYaml(JsonNode.Parse(KubernetesJson.Serialize(WebAppCrd.Build())));

    internal static Command Declare() =>
        new("crds", "Print the CustomResourceDefinition of WebApp.");

    internal static async Task<int> RunAsync(CommandLineSyntax.Analysis line, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (line.Unknown.Count > 0)
        {
            return await CommandLine.UsageAsync(stderr, line.Command, $"crds takes no arguments, got \"{CommandLineSyntax.Printable(line.Unknown[0])}\"");
        }

        await stdout.WriteAsync(Render());
        return 0;
    }
}
