using System.Diagnostics;
using System.Net;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Operator;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Playground;
using Kuroku.Playground.Cluster;
using Kuroku.Testing.ApiServer;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using PlaygroundHost = Kuroku.Playground.Playground;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// The playground a user starts (<see cref="PlaygroundHost"/>: the API server, the operator through its
/// kubeconfig, the stand-ins for nodes and controllers), run in this process for one test: a free port, its
/// kubeconfig in a temp directory, the simulated pod start and Job run times zero unless the test asks.
/// The test works in the kubeconfig's namespace, "default", and reaches the cluster through the API only.
/// </summary>
public sealed class PlaygroundSession : IAsyncDisposable
{
    public const string Namespace = "default";

    private readonly string _directory;

    private PlaygroundSession(PlaygroundHost playground, string directory)
    {
        Playground = playground;
        _directory = directory;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(playground.Kubeconfig));
    }

    public PlaygroundHost Playground { get; }

    public string KubeconfigPath => Playground.Kubeconfig;

    public Kubernetes Client { get; }

    /// <summary>The in-process API server behind the playground (fault hooks, request log).</summary>
    public KubeApiServer Server => Playground.Server;

    public static readonly SimulationOptions Instant = new() { PodStartDelay = TimeSpan.Zero, JobRunTime = TimeSpan.Zero };

    public static async Task<PlaygroundSession> StartAsync(SimulationOptions? simulation = null)
    {
        var directory = Directory.CreateTempSubdirectory("kuroku-playground-").FullName;
        var playground = await PlaygroundHost.StartAsync(
            new PlaygroundOptions { Port = 0, Kubeconfig = Path.Combine(directory, "kubeconfig"), Simulation = simulation ?? Instant },
            NullLoggerFactory.Instance, CancellationToken.None);
        return new PlaygroundSession(playground, directory);
    }

    /// <summary>The real kubectl with the playground's kubeconfig, as a user runs it after `export KUBECONFIG=...`.</summary>
    public Kubectl Kubectl() => new(KubeconfigPath);

    /// <summary>
    /// <c>kubectl kuroku ARGS</c> as a user runs it: the real kubectl finds the built plugin (copied beside the
    /// tests) on PATH; <paramref name="stdin"/> is piped in. Its exit code, stdout and stderr.
    /// </summary>
    public async Task<(int Code, string Out, string Err)> KubectlKurokuAsync(string stdin, params string[] args)
    {
        var built = Path.Combine(AppContext.BaseDirectory, "kubectl-kuroku");
        if (!File.Exists(built))
        {
            throw new InvalidOperationException($"the plugin's apphost is not beside the tests ({built})");
        }

        using var kubectl = Kubectl();
        var bin = Directory.CreateTempSubdirectory("kuroku-plugin-path-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "kubectl-kuroku"), built);
            var start = new ProcessStartInfo(kubectl.Binary)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["kuroku", .. args])
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["PATH"] = bin + Path.PathSeparator + "/usr/local/bin:/usr/bin:/bin";
            start.Environment["KUBECONFIG"] = kubectl.KubeconfigPath;
            var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT")
                ?? Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null);
            if (dotnetRoot is not null)
            {
                start.Environment["DOTNET_ROOT"] = dotnetRoot;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    public async Task<WebApp> CreateAsync(WebApp app, string ns = Namespace)
    {
        app.Metadata.NamespaceProperty = ns;
        return KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            app, WebAppApi.Group, WebAppApi.Version, ns, WebAppApi.Plural)));
    }

    public async Task<WebApp> GetAsync(string name, string ns = Namespace) =>
        KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(await Client.CustomObjects.GetNamespacedCustomObjectAsync(
            WebAppApi.Group, WebAppApi.Version, ns, WebAppApi.Plural, name)));

    /// <summary>Edits the spec read fresh, retrying on conflicts as kubectl edit would.</summary>
    public async Task<WebApp> EditAsync(string name, Action<WebApp> edit)
    {
        for (var attempt = 0; ; attempt++)
        {
            var app = await GetAsync(name);
            edit(app);
            try
            {
                return KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
                    app, WebAppApi.Group, WebAppApi.Version, Namespace, WebAppApi.Plural, name)));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
            }
        }
    }

    public async Task<V1Deployment?> DeploymentAsync(string name, string ns = Namespace)
    {
        try
        {
            return await Client.AppsV1.ReadNamespacedDeploymentAsync(name, ns);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<V1Job?> JobAsync(string name, string ns = Namespace)
    {
        try
        {
            return await Client.BatchV1.ReadNamespacedJobAsync(name, ns);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        TestCluster.EventuallyAsync(condition, what, timeout);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Playground.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
