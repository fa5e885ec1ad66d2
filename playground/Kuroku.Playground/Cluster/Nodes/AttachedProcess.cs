using Kuroku.Testing.ApiServer.Pods;

namespace Kuroku.Playground.Cluster.Nodes;

/// <summary>
/// What an attached container does in the playground (`kubectl kuroku run`, `kubectl attach`): no container runs,
/// so the process says what it would run, echoes each line of its stdin until stdin ends, and exits 0; a line
/// "exit N" ends it with N, as a shell would. The kubelet stand-in leaves such pods (stdin open) running until
/// this ends; the API server writes the exit into the pod's status.
/// </summary>
public static class AttachedProcess
{
    public static async Task<int> RunAsync(AttachedContainer container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var command = container.Command.Count == 0 ? "(the image's entrypoint)" : string.Join(' ', container.Command);
        await container.Stdout.WriteLineAsync($"{command}: simulated (the playground runs no containers); echoing stdin, \"exit N\" ends it");
        while (await container.Stdin.ReadLineAsync(cancellationToken) is { } line)
        {
            var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["exit"])
            {
                return 0;
            }

            if (words is ["exit", var code] && int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exitCode))
            {
                return exitCode;
            }

            await container.Stdout.WriteLineAsync(line);
        }

        return 0;
    }
}
