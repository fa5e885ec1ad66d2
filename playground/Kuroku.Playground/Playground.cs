using System.Net;
using System.Net.Sockets;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Hosting;
using Kuroku.Playground.Cluster;
using Kuroku.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace Kuroku.Playground;

/// <summary>
/// A Kubernetes cluster on one machine, to try Kuroku without one: the in-process API server with the WebApp CRD,
/// the operator exactly as `run --kubeconfig PATH --webhooks false` runs it (its normal client, over HTTP, through
/// the kubeconfig the playground writes), and <see cref="ClusterStandIn"/> for the nodes and the built-in
/// controllers. Started in that order; stopped in the reverse one (stand-ins, operator, server).
/// </summary>
public sealed class Playground : IAsyncDisposable
{
    private readonly KubeApiServer server;
    private WebApplication? operatorHost;
    private ClusterStandIn? standIn;

    private Playground(KubeApiServer server, string kubeconfig)
    {
        this.server = server;
        Kubeconfig = kubeconfig;
    }

    /// <summary>The API server: http://127.0.0.1:PORT/.</summary>
    public Uri ApiServer => server.BaseUri;

    /// <summary>The full path of the kubeconfig written for the playground.</summary>
    public string Kubeconfig { get; }

    /// <summary>The operator's /metrics, /healthz and /readyz.</summary>
    public Uri OperatorEndpoint { get; private set; } = null!;

    /// <summary>What stands in for the nodes and the built-in controllers.</summary>
    public IReadOnlyList<string> StandIns => standIn?.Components ?? [];

    /// <summary>The in-process server (its fault hooks and request log), for tests.</summary>
    internal KubeApiServer Server => server;

    /// <summary>
    /// Starts the server on <see cref="PlaygroundOptions.Port"/> (throws <see cref="PortInUseException"/> when it
    /// is taken), writes the kubeconfig, installs the CRD, starts the operator and the stand-ins; returns once
    /// the operator is ready (its caches synced) and every stand-in watches.
    /// </summary>
    public static async Task<Playground> StartAsync(PlaygroundOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (PlaygroundKubeconfig.Problem(options.Kubeconfig) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { Port = options.Port }, cancellationToken);
        var playground = new Playground(server, PlaygroundKubeconfig.Write(options.Kubeconfig, server.BaseUri));
        try
        {
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(playground.Kubeconfig);
            await InstallCrdAsync(configuration, cancellationToken);
            await playground.StartOperatorAsync(options, cancellationToken);
            // Containers' output goes where `kubectl logs` reads it, and attached containers echo their stdin.
            var simulation = options.Simulation.Output is NoContainerOutput
                ? options.Simulation with { Output = new Cluster.Nodes.ContainerLogs(server.PodLogs, options.Simulation.Time) }
                : options.Simulation;
            server.Containers.OnAttach(Cluster.Nodes.AttachedProcess.RunAsync);
            playground.standIn = await ClusterStandIn.StartAsync(configuration, simulation, loggers, cancellationToken);
            return playground;
        }
        catch
        {
            await playground.DisposeAsync();
            throw;
        }
    }

    /// <summary>The CRD users apply from crds/ (embedded at build), created and waited for until Established.</summary>
    private static async Task InstallCrdAsync(KubernetesClientConfiguration configuration, CancellationToken cancellationToken)
    {
        using var stream = typeof(Playground).Assembly.GetManifestResourceStream("webapps.kuroku.dev.yaml")
            ?? throw new InvalidOperationException("the WebApp CRD is not embedded in the playground");
        using var reader = new StreamReader(stream);
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await reader.ReadToEndAsync(cancellationToken));
        using var client = new Kubernetes(configuration);
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
        while (true)
        {
            var live = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: cancellationToken);
            if (live.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The operator as `run --kubeconfig PATH --webhooks false --leader-election false` runs it, in this process.</summary>
    private async Task StartOperatorAsync(PlaygroundOptions options, CancellationToken cancellationToken)
    {
        var port = options.OperatorPort == 0 ? FreePort() : options.OperatorPort;
        var operatorOptions = new OperatorOptions
        {
            Kubeconfig = Kubeconfig,
            LeaderElection = false,
            Webhooks = false,
            HttpPort = port,
        };
        operatorHost = OperatorHost.Build(operatorOptions, builder =>
        {
            builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Information : LogLevel.Warning);
            // The playground handles SIGTERM and Ctrl-C itself, to stop the parts in order.
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        });
        await operatorHost.StartAsync(cancellationToken);
        OperatorEndpoint = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = OperatorEndpoint };
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the stand-ins, then the operator (its in-flight reconciles finish), then the server (its port is free after).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (standIn is not null)
            {
                await standIn.DisposeAsync();
                standIn = null;
            }
        }
        finally
        {
            try
            {
                if (operatorHost is not null)
                {
                    await operatorHost.StopAsync();
                    await operatorHost.DisposeAsync();
                    operatorHost = null;
                }
            }
            finally
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>A host lifetime that leaves the process's signals alone: the host stops when told.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
