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
    }
}
