using Kuroku.Testing.ApiServer;

namespace Kuroku.Playground;

/// <summary>The kubeconfig the playground writes: one context, kuroku-playground, namespace default.</summary>
public static class PlaygroundKubeconfig
{
    public const string Name = "kuroku-playground";

    public static string For(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return $"""
            # Written by the Kuroku playground (dotnet run --project playground/Kuroku.Playground); rewritten at each start.
            apiVersion: v1
            kind: Config
            clusters:
            - name: {Name}
              cluster:
                server: {server.ToString().TrimEnd('/')}
            users:
            - name: {Name}
              user:
                token: {KubeApiServer.Token}
            contexts:
            - name: {Name}
              context:
                cluster: {Name}
                user: {Name}
                namespace: default
            current-context: {Name}
            preferences: {"{}"}

            """;
    }

    /// <summary>Why the playground must not write its kubeconfig at <paramref name="path"/> (a file that is not one of its own), or null.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return $"--kubeconfig {path} is a directory; give the path of a file";
        }

        if (File.Exists(path) && !File.ReadAllText(path).Contains($"current-context: {Name}", StringComparison.Ordinal))
        {
            return $"--kubeconfig {path} exists and is not a playground kubeconfig; the playground will not overwrite it: choose another path";
        }

        return null;
    }

    public static string Write(string path, Uri server)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, For(server));
        return full;
    }
}
