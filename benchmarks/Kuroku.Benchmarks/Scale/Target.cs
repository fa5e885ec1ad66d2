using System.Net;
using Kuroku.Operator.Crds;
using Kuroku.Testing.ApiServer;
using Kuroku.Testing.ApiServer.Hooks;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Benchmarks.Scale;

/// <summary>
/// The cluster a run works against: by default the in-process API server (Kuroku.Testing.ApiServer)
/// in this process, with its request log; with a kubeconfig, that cluster (no request log there: the
/// operator's own /metrics count its writes in both cases).
/// </summary>
public sealed class Target : IAsyncDisposable
{
    private Target(KubeApiServer? server, string kubeconfigPath, string description)
    {
        Server = server;
        KubeconfigPath = kubeconfigPath;
        Description = description;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        Client = new Kubernetes(config);
        Raw = new RawApi(Client);
    }

    /// <summary>The in-process server, or null on a real cluster.</summary>
    public KubeApiServer? Server { get; }

    public string KubeconfigPath { get; }

    public string Description { get; }

    public Kubernetes Client { get; }

    public RawApi Raw { get; }

    /// <summary>The server's request log, when the server is in-process.</summary>
    public RequestLog? Log => Server?.Requests;

    public static async Task<Target> StartAsync(ScaleOptions options, int expectedObjects, string workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Kubeconfig is { } kubeconfig)
        {
            var real = new Target(null, kubeconfig, $"cluster of {Path.GetFileName(kubeconfig)}");
            await real.InstallCrdAsync(replace: false, cancellationToken);
            return real;
        }

        // kube-apiserver keeps minutes of watch history; a history of a few changes per object keeps the
        // operator's watches from being sent back to a full LIST (410 Gone) only because the fleet is big.
        var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { HistoryLimit = Math.Max(10_000, expectedObjects * 4) }, cancellationToken);
        var path = server.WriteKubeconfig(Path.Combine(workDirectory, "kubeconfig"));
        var target = new Target(server, path, "in-process API server");
        await target.InstallCrdAsync(replace: true, cancellationToken);
        return target;
    }

    /// <summary>Where the request log stands now (entries before it belong to earlier phases).</summary>
    public int LogPosition() => Log?.Entries.Count ?? 0;

    /// <summary>Log entries from a position on.</summary>
    public IReadOnlyList<RequestRecord> LogSince(int position) =>
        Log is null ? [] : [.. Log.Entries.Skip(position)];

    /// <summary>Creates the namespaces (ignoring ones that exist).</summary>
    public async Task CreateNamespacesAsync(IEnumerable<string> names, int writers, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = cancellationToken }, async (ns, ct) =>
        {
            try
            {
                await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
            }
        });
    }

    /// <summary>Deletes the namespaces (their objects go with them); on the in-process server nothing needs cleaning.</summary>
    public async Task DeleteNamespacesAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        if (Server is not null)
        {
            return;
        }

        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (ns, ct) =>
        {
            try
            {
                await Client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private async Task InstallCrdAsync(bool replace, CancellationToken cancellationToken)
    {
        var crd = WebAppCrd.Build();
        try
        {
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            if (replace)
            {
                var live = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: cancellationToken);
                crd.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
                await Client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name, cancellationToken: cancellationToken);
            }
        }

        for (var i = 0; i < 300; i++)
        {
            var live = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: cancellationToken);
            if (live.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"the CRD {crd.Metadata.Name} did not become Established");
    }
}
