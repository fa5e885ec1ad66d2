using System.Text.Json.Nodes;
using k8s;
using Kuroku.Operator.Crds;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.Cli;

/// <summary><c>kuroku crds</c>: prints the CustomResourceDefinition of WebApp as YAML.</summary>
public static class CrdsCommand
{
    public const string Usage = "usage: kuroku crds";

    /// <summary>The CRD exactly as <c>crds</c> prints it (and as crds/webapps.kuroku.dev.yaml holds it).</summary>
    public static string Render() =>
        YamlJson.ToYaml(JsonNode.Parse(KubernetesJson.Serialize(WebAppCrd.Build())));

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length > 0)
        {
            if (args is ["-h" or "--help"])
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }

            await stderr.WriteLineAsync($"error: crds takes no arguments, got \"{args[0]}\"");
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        await stdout.WriteAsync(Render());
        return 0;
    }
}
