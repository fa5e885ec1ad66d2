using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Kuroku.Testing.ApiServer.Hooks;
using Kuroku.Testing.ApiServer.Http;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Pods;
using Kuroku.Testing.ApiServer.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kuroku.Testing.ApiServer;

/// <summary>
/// An in-process Kubernetes API server for tests: plain HTTP on 127.0.0.1, the real wire protocol,
/// so KubernetesClient and kubectl both work against it. It stores objects; it runs no controllers.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    public const string Token = "kuroku-test-token";

    private readonly WebApplication _app;
    private readonly ApiOperations _ops;
    private readonly GarbageCollector _gc;
    private readonly CancellationTokenSource _stopping;

    private KubeApiServer(WebApplication app, ApiOperations ops, ResourceRegistry registry, GarbageCollector gc, FaultInjector faults, RequestLog requests, PodLogs podLogs, ContainerStandIn containers, CancellationTokenSource stopping, Uri baseUri)
    {
        _app = app;
        _ops = ops;
        Registry = registry;
        _gc = gc;
        Faults = faults;
        Requests = requests;
        PodLogs = podLogs;
        Containers = containers;
        _stopping = stopping;
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUri { get; }

    /// <summary>Fail or delay requests on purpose.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every resource request answered, by verb and resource.</summary>
    public RequestLog Requests { get; }

    /// <summary>
    /// What containers wrote, served by <c>GET pods/NAME/log</c>: nothing runs containers here, so whatever stands in
    /// for them writes their lines with <c>PodLogs.Append(namespace, pod, container, line, at)</c>. The log
    /// subresource answers as kube-apiserver does: a pod without a node has an empty log; a container that has not
    /// started (no running or terminated state in the pod's status) is "waiting to start" (400); follow=true streams
    /// until the container terminates or the pod goes.
    /// </summary>
    public PodLogs PodLogs { get; }

    /// <summary>
    /// The stand-in for containers' processes behind <c>pods/NAME/attach</c> (WebSocket, v5/v4 channel protocol):
    /// <c>Containers.OnAttach((container, ct) => ...)</c> scripts what an attached container reads, writes and
    /// exits with; its exit is written to the pod's status, as a kubelet would. Attach needs a pod with a node
    /// and its container running (set them through the API, as a scheduler and a kubelet would).
    /// </summary>
    public ContainerStandIn Containers { get; }

    /// <summary>The resources served: built-ins plus those of the CRDs created so far.</summary>
    public ResourceRegistry Registry { get; }

    /// <summary>The current (latest) resourceVersion.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_ops.Store.Gate)
            {
                return _ops.Store.Revision;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_ops.Store.Gate)
            {
                return _ops.Store.WatcherCount;
            }
        }
    }

    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiServerOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // A library must not take the process's signals: the host's console lifetime would eat SIGTERM and
        // Ctrl-C (cancelling them) without stopping anything. Whoever runs the server (Program) handles them.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();

        var registry = new ResourceRegistry();
        var store = new ObjectStore(options.HistoryLimit);
        var ops = new ApiOperations(store, registry, options.TimeProvider);
        lock (store.Gate)
        {
            foreach (var ns in options.Namespaces)
            {
                ops.Create(BuiltInResources.All[0], null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, dryRun: false);
            }
        }

        var gc = new GarbageCollector(ops, registry, options.GarbageCollectionDelay);
        var faults = new FaultInjector();
        var requests = new RequestLog();
        var stopping = new CancellationTokenSource();
        var podLogs = new PodLogs((ns, pod) =>
        {
            lock (store.Gate)
            {
                return store.Get("/pods", ns, pod)?.Uid;
            }
        }, options.TimeProvider);
        var containers = new ContainerStandIn();
        var handler = new ApiHandler(ops, registry, options, faults, requests, podLogs, containers, stopping.Token);
        app.UseWebSockets();
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is AddressInUseException || e.InnerException is AddressInUseException)
        {
            await app.DisposeAsync();
            await gc.DisposeAsync();
            stopping.Dispose();
            throw new PortInUseException(options.Port, e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        return new KubeApiServer(app, ops, registry, gc, faults, requests, podLogs, containers, stopping, baseUri);
    }

    /// <summary>A kubeconfig (context "kuroku-test", namespace "default") for this server.</summary>
    public string Kubeconfig(string? defaultNamespace = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: kuroku-test
          cluster:
            server: {BaseUri.ToString().TrimEnd('/')}
        users:
        - name: kuroku-test
          user:
            token: {Token}
        contexts:
        - name: kuroku-test
          context:
            cluster: kuroku-test
            user: kuroku-test
            namespace: {defaultNamespace ?? "default"}
        current-context: kuroku-test
        preferences: {"{}"}

        """;

    /// <summary>Writes <see cref="Kubeconfig"/> to a file (for kubectl's --kubeconfig or KUBECONFIG).</summary>
    public string WriteKubeconfig(string path, string? defaultNamespace = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Kubeconfig(defaultNamespace));
        return path;
    }

    public KubernetesClientConfiguration ClientConfiguration() => new()
    {
        Host = BaseUri.ToString().TrimEnd('/'),
        AccessToken = Token,
        Namespace = "default",
    };

    public Kubernetes CreateClient() => new(ClientConfiguration());

    /// <summary>Ends every open watch stream; clients see the stream end and must watch again. Returns how many.</summary>
    public int DropWatches()
    {
        lock (_ops.Store.Gate)
        {
            return _ops.Store.DropWatches();
        }
    }

    /// <summary>Compacts the watch history: a watch from any resourceVersion before now gets 410 Gone.</summary>
    public void ExpireResourceVersions()
    {
        lock (_ops.Store.Gate)
        {
            _ops.Store.Compact();
        }
    }

    /// <summary>Runs one garbage-collection pass now (it also runs by itself shortly after each deletion).</summary>
    public void CollectGarbage()
    {
        lock (_ops.Store.Gate)
        {
            _gc.Collect();
        }
    }

    /// <summary>A copy of a stored object, or null. For assertions; tests should write through the HTTP API.</summary>
    public JsonObject? GetObject(string group, string plural, string? ns, string name)
    {
        lock (_ops.Store.Gate)
        {
            return _ops.Store.Get($"{group}/{plural}", ns, name)?.ToNode();
        }
    }

    /// <summary>Copies of the stored objects of one resource, in one namespace or all.</summary>
    public IReadOnlyList<JsonObject> ListObjects(string group, string plural, string? ns = null)
    {
        lock (_ops.Store.Gate)
        {
            return [.. _ops.Store.List($"{group}/{plural}", ns).Select(o => o.ToNode())];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _gc.DisposeAsync();
        _stopping.Dispose();
    }
}

/// <summary>The port asked for is taken (another API server, or anything else, listens on it).</summary>
public sealed class PortInUseException(int port, Exception inner)
    : IOException($"port {port} on 127.0.0.1 is already in use: stop what listens there or choose another port", inner)
{
    public int Port { get; } = port;
}

/// <summary>A host lifetime that leaves the process's signals alone: the server stops when disposed.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
