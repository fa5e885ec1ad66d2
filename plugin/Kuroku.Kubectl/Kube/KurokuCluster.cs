using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Kubectl.Changes;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;
using YamlDotNet.Core;

namespace Kuroku.Kubectl.Kube;

/// <summary>
/// The cluster through KubernetesClient, pointed at any kubeconfig: the WebApp as a custom resource
/// (kuroku.dev/v1alpha1 webapps), releases as apps/v1 ControllerRevisions.
/// </summary>
public sealed class KurokuCluster : IKurokuCluster, IDisposable
{
    private readonly Kubernetes client;

    private KurokuCluster(KubernetesClientConfiguration config)
    {
        client = new Kubernetes(config);
        Server = config.Host;
        DefaultNamespace = string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace;
    }

    public string DefaultNamespace { get; }

    /// <summary>The API server's URL, for error messages.</summary>
    public string Server { get; }

    /// <summary>Reads the kubeconfig (and context) and connects; a clear <see cref="CommandException"/> when it can't.</summary>
    public static KurokuCluster Connect(string kubeconfigPath, string? context)
    {
        if (!File.Exists(kubeconfigPath))
        {
            throw new CommandException(
                $"no kubeconfig: {kubeconfigPath} does not exist (give one with --kubeconfig or $KUBECONFIG)");
        }

        try
        {
            return new KurokuCluster(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, context));
        }
        catch (KubeConfigException e)
        {
            throw new CommandException($"kubeconfig {kubeconfigPath}: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The client throws whatever its YAML reader hits (an empty file gives a NullReferenceException).
            throw new CommandException(e switch
            {
                NullReferenceException => $"kubeconfig {kubeconfigPath} is empty or not a kubeconfig",
                YamlException yaml => $"kubeconfig {kubeconfigPath} is not a kubeconfig at line {yaml.Start.Line}, column {yaml.Start.Column}: "
                    + ((yaml.InnerException ?? yaml).Message is var detail && detail.Contains("KubeConfigModels", StringComparison.Ordinal)
                        ? "not the shape of one (apiVersion: v1, kind: Config, clusters, users, contexts)"
                        : detail.ReplaceLineEndings(" ")),
                _ => $"kubeconfig {kubeconfigPath} cannot be read: {e.Message}",
            });
        }
    }

    public async Task<WebApp?> GetWebAppAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(() => client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<WebApp>(
                WebAppApi.Group, WebAppApi.Version, ns, WebAppApi.Plural, name, cancellationToken: cancellationToken));
            return response.Body;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return !e.IsResourceNotServed
                ? null
                : throw new CommandException($"{e.ServerMessage}: the API server at {Server} does not serve {WebAppApi.Plural}.{WebAppApi.Group}/{WebAppApi.Version} (is the Kuroku CRD installed?)");
        }
    }

    public async Task<WebApp> PatchWebAppAsync(string ns, string name, WebAppPatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var response = await Call(() => client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<WebApp>(
            patch.ToV1Patch(), WebAppApi.Group, WebAppApi.Version, ns, WebAppApi.Plural, name, cancellationToken: cancellationToken));
        return response.Body;
    }

    public async Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(() => client.AppsV1.ReadNamespacedControllerRevisionWithHttpMessagesAsync(
                name, ns, cancellationToken: cancellationToken));
            return response.Body;
        }
        catch (KubernetesApiException e) when (e.IsNotFound && !e.IsResourceNotServed)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<V1ControllerRevision>> ListRevisionsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var response = await Call(() => client.AppsV1.ListNamespacedControllerRevisionWithHttpMessagesAsync(
            ns, labelSelector: labelSelector, cancellationToken: cancellationToken));
        return response.Body.Items.ToList();
    }

    public async Task<PodList> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var response = await Call(() => client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(
            ns, labelSelector: labelSelector, cancellationToken: cancellationToken));
        return new PodList([.. response.Body.Items], response.Body.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<PodEvent> WatchPodsAsync(string ns, string labelSelector, string resourceVersion,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watch = client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: labelSelector, resourceVersion: resourceVersion, cancellationToken: cancellationToken);
        await foreach (var (type, pod) in watch)
        {
            if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
            {
                yield return new PodEvent(type.ToString().ToUpperInvariant(), pod);
            }
        }
    }

    public async Task<V1Pod?> GetPodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(() => client.CoreV1.ReadNamespacedPodWithHttpMessagesAsync(name, ns, cancellationToken: cancellationToken));
            return response.Body;
        }
        catch (KubernetesApiException e) when (e.IsNotFound && !e.IsResourceNotServed)
        {
            return null;
        }
    }

    public async Task<V1Pod> CreatePodAsync(string ns, V1Pod pod, CancellationToken cancellationToken)
    {
        var response = await Call(() => client.CoreV1.CreateNamespacedPodWithHttpMessagesAsync(pod, ns, cancellationToken: cancellationToken));
        return response.Body;
    }

    public async Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Call(() => client.CoreV1.DeleteNamespacedPodWithHttpMessagesAsync(
                name, ns, new V1DeleteOptions { GracePeriodSeconds = 0 }, gracePeriodSeconds: 0, cancellationToken: cancellationToken));
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }

    public async Task<V1Job> CreateJobAsync(string ns, V1Job job, CancellationToken cancellationToken)
    {
        var response = await Call(() => client.BatchV1.CreateNamespacedJobWithHttpMessagesAsync(job, ns, cancellationToken: cancellationToken));
        return response.Body;
    }

    public async Task<IReadOnlyList<V1Job>> ListJobsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var response = await Call(() => client.BatchV1.ListNamespacedJobWithHttpMessagesAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken));
        return [.. response.Body.Items];
    }

    public async Task<IReadOnlyList<V1CronJob>> ListCronJobsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var response = await Call(() => client.BatchV1.ListNamespacedCronJobWithHttpMessagesAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken));
        return [.. response.Body.Items];
    }

    public async IAsyncEnumerable<string> ReadLogAsync(string ns, string pod, string container, LogRequest request,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await Call(() => client.CoreV1.ReadNamespacedPodLogWithHttpMessagesAsync(
            pod, ns, container: container, follow: request.Follow, tailLines: (int?)request.TailLines,
            sinceSeconds: (int?)request.SinceSeconds, timestamps: true, cancellationToken: cancellationToken));
        using (response)
        {
            using var reader = new StreamReader(response.Body);
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(cancellationToken);
                }
                catch (IOException)
                {
                    // The stream broke off (the pod went away): what came is all there is.
                    yield break;
                }

                if (line is null)
                {
                    yield break;
                }

                yield return line;
            }
        }
    }

    public async Task<IChannelConnection> AttachAsync(string ns, string pod, string container, bool tty, CancellationToken cancellationToken)
    {
        // v5 lets stdin end (a piped file reaches its EOF); servers before Kubernetes 1.30 speak v4 only.
        try
        {
            return await AttachWithAsync(Channels.V5);
        }
        catch (KubernetesApiException e) when (e.StatusCode is 400 or 403 && e.ServerMessage.Contains("protocol", StringComparison.OrdinalIgnoreCase))
        {
            return await AttachWithAsync(Channels.V4);
        }

        async Task<IChannelConnection> AttachWithAsync(string protocol)
        {
            var socket = await Call(() => client.WebSocketNamespacedPodAttachAsync(
                pod, ns, container, stderr: !tty, stdin: true, stdout: true, tty: tty, webSocketSubProtocol: protocol, cancellationToken: cancellationToken));
            return new WebSocketChannelConnection(socket);
        }
    }

    public void Dispose() => client.Dispose();

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e)
        {
            throw ApiErrors.FromHttpOperation(e, "request", "to " + Server);
        }
        catch (HttpRequestException e)
        {
            throw new CommandException($"cannot reach the API server at {Server}: {e.Message}");
        }
        catch (System.Net.WebSockets.WebSocketException e)
        {
            throw new CommandException($"cannot open a WebSocket to the API server at {Server}: {e.Message}");
        }
    }
}
