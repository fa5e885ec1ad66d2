using System.Net;
using System.Net.Sockets;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Hosting;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>
/// The cluster a test runs against: the in-process API server, or, when KUROKU_TEST_KUBECONFIG names a
/// kubeconfig, that real cluster. Each instance works in a namespace of its own (labelled
/// kuroku.dev/integration-test, deleted on dispose), installs the CRD from crds/, and runs the operator
/// in-process (scoped to that namespace) when asked; its kubectl is bound to that namespace too.
/// Test code goes through the Kubernetes API only, so it runs unchanged against either.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string KubeconfigVariable = "KUROKU_TEST_KUBECONFIG";

    /// <summary>The label on every namespace a test creates (kubectl delete ns -l kuroku.dev/integration-test cleans up after an aborted run).</summary>
    public const string NamespaceLabel = "kuroku.dev/integration-test";

    private readonly List<WebApplication> _operators = [];
    private readonly string _directory;

    private TestCluster(KubeApiServer? server, string kubeconfigPath, string directory, string @namespace)
    {
        Server = server;
        KubeconfigPath = kubeconfigPath;
        _directory = directory;
        Namespace = @namespace;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));
    }

    /// <summary>The in-process server, with its fault hooks and request log; null on a real cluster.</summary>
    public KubeApiServer? Server { get; }

    public bool IsReal => Server is null;

    public string KubeconfigPath { get; }

    public Kubernetes Client { get; }

    /// <summary>This test's namespace (the kubeconfig's default namespace too).</summary>
    public string Namespace { get; }

    /// <summary>A cluster for one test: the real one KUROKU_TEST_KUBECONFIG names, else a new in-process server.</summary>
    public static Task<TestCluster> StartAsync() => StartAsync(Environment.GetEnvironmentVariable(KubeconfigVariable));

    /// <summary>A cluster for one test against the cluster this kubeconfig reaches (treated as real), or in-process when null.</summary>
    public static async Task<TestCluster> StartAsync(string? real)
    {
        var directory = Directory.CreateTempSubdirectory("kuroku-it-").FullName;
        var ns = "t-" + Guid.NewGuid().ToString("N")[..10];
        KubeApiServer? server = null;
        string kubeconfig;
        if (string.IsNullOrEmpty(real))
        {
            server = await KubeApiServer.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500) });
            kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"), ns);
        }
        else
        {
            kubeconfig = real;
        }

        var cluster = new TestCluster(server, kubeconfig, directory, ns);
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { [NamespaceLabel] = "true" } },
        });
        await cluster.InstallCrdAsync();
        return cluster;
    }

    /// <summary>Applies crds/webapps.kuroku.dev.yaml (create, or replace when present) and waits until it is Established.</summary>
    public async Task InstallCrdAsync()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(
            await File.ReadAllTextAsync(Path.Combine(SchemaCheck.RepositoryRoot, "crds", "webapps.kuroku.dev.yaml")));
        try
        {
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var live = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
            crd.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
            await Client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name);
        }

        await EventuallyAsync(async () =>
        {
            var live = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
            return live.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }, "the CRD to be Established");
    }

    /// <summary>The operators this cluster runs, oldest first (their services: leader status, metrics...).</summary>
    public IReadOnlyList<WebApplication> Operators => _operators;

    /// <summary>Stops one operator, as a pod that is deleted would stop.</summary>
    public async Task StopOperatorAsync(WebApplication app)
    {
        _operators.Remove(app);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Runs the operator in-process against this cluster, watching this test's namespace only.</summary>
    public async Task<OperatorOptions> StartOperatorAsync(Func<OperatorOptions, OperatorOptions>? tweak = null, Action<WebApplicationBuilder>? configure = null)
    {
        var options = new OperatorOptions
        {
            Kubeconfig = KubeconfigPath,
            Namespace = Namespace,
            LeaderElection = false,
            LeaderElectionNamespace = Namespace,
            Webhooks = false,
            Workers = 2,
            HttpPort = FreePort(),
            WebhookPort = FreePort(),
            ResyncPeriod = TimeSpan.FromSeconds(2),
        };
        options = tweak?.Invoke(options) ?? options;
        var app = OperatorHost.Build(options, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        _operators.Add(app);
        return options;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A kubectl for this cluster that acts in this test's namespace only: its kubeconfig (a copy, for a real
    /// cluster) has the test namespace in its current context, and every invocation carries --namespace
    /// (one naming another namespace, or --all-namespaces, is refused).
    /// </summary>
    public Kubectl Kubectl()
    {
        // A directory of its own: disposing the Kubectl deletes its kubeconfig's directory, never the user's.
        var path = Path.Combine(_directory, "kubectl-" + Guid.NewGuid().ToString("N")[..8], "config");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Server is not null)
        {
            Server.WriteKubeconfig(path, Namespace);
        }
        else
        {
            File.WriteAllText(path, KubeconfigNamespace.Bind(File.ReadAllText(KubeconfigPath), Namespace));
        }

        return new Kubectl(path, @namespace: Namespace, deleteKubeconfigDirectory: true);
    }

    // ---- WebApps through the API, as a user would ----

    public async Task<WebApp> CreateAsync(WebApp app)
    {
        app.Metadata.NamespaceProperty = Namespace;
        return KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            app, WebAppApi.Group, WebAppApi.Version, Namespace, WebAppApi.Plural)));
    }

    public async Task<WebApp> GetAsync(string name) =>
        KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(await Client.CustomObjects.GetNamespacedCustomObjectAsync(
            WebAppApi.Group, WebAppApi.Version, Namespace, WebAppApi.Plural, name)));

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

    public async Task<V1Deployment?> DeploymentAsync(string name)
    {
        try
        {
            return await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// What the cluster's deployment controller writes once every pod of the current template is ready.
    /// On a real cluster the deployment controller does it; this waits for it instead.
    /// </summary>
    public async Task MarkReadyAsync(string deploymentName)
    {
        if (IsReal)
        {
            return;
        }

        var d = await Client.AppsV1.ReadNamespacedDeploymentAsync(deploymentName, Namespace);
        var replicas = d.Spec.Replicas ?? 1;
        d.Status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = replicas,
            UpdatedReplicas = replicas,
            ReadyReplicas = replicas,
            AvailableReplicas = replicas,
        };
        await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, deploymentName, Namespace);
    }

    public async Task<V1Job?> JobAsync(string name)
    {
        try
        {
            return await Client.BatchV1.ReadNamespacedJobAsync(name, Namespace);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// What the cluster's Job controller writes when the Job's pod exits 0, through the /status subresource,
    /// in a form kube-apiserver accepts (JobStatusRules): SuccessCriteriaMet and Complete together, no active
    /// or terminating pod, the startTime the Job already has (set once, never changed), a completionTime not
    /// before it, counters that never decrease. A real cluster's Job controller leaves a finished Job alone,
    /// so this works there too, whatever the Job's image.
    /// </summary>
    public Task CompleteJobAsync(string name) => WriteJobStatusAsync(name, (before, now) => new V1JobStatus
    {
        CompletionTime = now,
        Succeeded = Math.Max(before?.Succeeded ?? 0, 1),
        Failed = before?.Failed,
        Conditions =
        [
            new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", LastTransitionTime = now, LastProbeTime = now },
            new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = now, LastProbeTime = now },
        ],
    });

    /// <summary>What the Job controller writes when the Job gives up: FailureTarget and Failed=True with <paramref name="reason"/>, under the same rules.</summary>
    public Task FailJobAsync(string name, string reason = "BackoffLimitExceeded") => WriteJobStatusAsync(name, (before, now) => new V1JobStatus
    {
        Succeeded = before?.Succeeded,
        Failed = Math.Max(before?.Failed ?? 0, 1),
        Conditions =
        [
            new V1JobCondition { Type = "FailureTarget", Status = "True", Reason = reason, Message = "Job has reached the specified backoff limit", LastTransitionTime = now, LastProbeTime = now },
            new V1JobCondition { Type = "Failed", Status = "True", Reason = reason, Message = "Job has reached the specified backoff limit", LastTransitionTime = now, LastProbeTime = now },
        ],
    });

    private async Task WriteJobStatusAsync(string name, Func<V1JobStatus?, DateTime, V1JobStatus> status)
    {
        for (var attempt = 0; ; attempt++)
        {
            var job = await Client.BatchV1.ReadNamespacedJobAsync(name, Namespace);
            // A Job controller may have started it already: its startTime stays. Times are to the second on the
            // wire; a completionTime before the startTime (clock skew with a real cluster) would be refused.
            var started = job.Status?.StartTime?.ToUniversalTime() ?? DateTime.UtcNow;
            var now = new DateTime(Math.Max(DateTime.UtcNow.Ticks, started.Ticks), DateTimeKind.Utc);
            var next = status(job.Status, now);
            next.StartTime = started;
            job.Status = next;
            try
            {
                await Client.BatchV1.ReplaceNamespacedJobStatusAsync(job, name, Namespace);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
            }
        }
    }

    /// <summary>The core/v1 Events in this namespace whose involvedObject is the named object of this kind.</summary>
    public async Task<IReadOnlyList<Corev1Event>> EventsAboutAsync(string kind, string name)
    {
        var events = await Client.CoreV1.ListNamespacedEventAsync(Namespace);
        return [.. events.Items.Where(e => e.InvolvedObject?.Kind == kind && e.InvolvedObject.Name == name)];
    }

    /// <summary>The releases recorded for an app: its ControllerRevisions, by name.</summary>
    public async Task<IReadOnlyList<V1ControllerRevision>> RevisionsAsync(string app)
    {
        var list = await Client.AppsV1.ListNamespacedControllerRevisionAsync(Namespace, labelSelector: $"kuroku.dev/webapp={app}");
        return [.. list.Items.OrderBy(r => r.Revision)];
    }

    /// <summary>Polls until the condition holds (the operator works asynchronously), failing with what it waited for.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpOperationException e)
            {
                last = e;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"timed out waiting for {what}", last);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _operators)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (IsReal)
        {
            try
            {
                await Client.CoreV1.DeleteNamespaceAsync(Namespace);
            }
            catch (HttpOperationException)
            {
            }
        }

        Client.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A test that needs the in-process API server (a fault hook, the request log, or standing in for a
/// controller a real cluster runs): reported as skipped, with what it needs as the reason, when
/// <see cref="TestCluster.KubeconfigVariable"/> points the tests at a real cluster.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InProcessFactAttribute : FactAttribute
{
    /// <param name="why">What the test needs that a real cluster cannot give it, said as the skip reason.</param>
    public InProcessFactAttribute(string why)
    {
        Why = why;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TestCluster.KubeconfigVariable)))
        {
            Skip = $"in-process API server only: {why}";
        }
    }

    public string Why { get; }
}
