using Kuroku.Playground.Cluster;

namespace Kuroku.Playground;

/// <summary>What the playground runs on and how its simulated nodes behave.</summary>
public sealed record PlaygroundOptions
{
    /// <summary>The API server's port on 127.0.0.1 when none is given: fixed, so the kubeconfig stays valid across restarts.</summary>
    public const int DefaultPort = 7443;

    /// <summary>The API server's port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Where the kubeconfig for the playground is written (see <see cref="DefaultKubeconfig"/>).</summary>
    public string Kubeconfig { get; init; } = DefaultKubeconfig();

    /// <summary>The operator's HTTP port (/metrics, /healthz, /readyz); 0 picks a free one.</summary>
    public int OperatorPort { get; init; }

    /// <summary>The operator's own logs (JSON lines) down to Information; else warnings and errors only.</summary>
    public bool Verbose { get; init; }

    public SimulationOptions Simulation { get; init; } = new();

    /// <summary>~/.kube/kuroku-playground.yaml: beside the user's kubeconfig, never it.</summary>
    public static string DefaultKubeconfig()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".kube", "kuroku-playground.yaml");
    }
}
