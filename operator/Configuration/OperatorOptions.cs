namespace Kuroku.Operator.Configuration;

/// <summary>
/// Operator-wide settings. The desired-state builders read only <see cref="DefaultDomain"/> and
/// <see cref="NginxImage"/>; the rest drives the runtime.
/// </summary>
public sealed record OperatorOptions
{
    /// <summary>The nginx image put in front of web processes that serve static content.</summary>
    public const string DefaultNginxImage = "docker.io/nginxinc/nginx-unprivileged:1.27-alpine";

    /// <summary>With a default domain, every app also answers at &lt;app&gt;-&lt;namespace&gt;.&lt;domain&gt;.</summary>
    public string? DefaultDomain { get; init; }

    /// <summary>The image of the nginx sidecar (must run as a non-root user).</summary>
    public string NginxImage { get; init; } = DefaultNginxImage;

    /// <summary>How many WebApps are reconciled at once.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Watch only this namespace; null watches the whole cluster.</summary>
    public string? Namespace { get; init; }

    /// <summary>Run controllers only while holding the leader Lease.</summary>
    public bool LeaderElection { get; init; } = true;

    /// <summary>Where the leader Lease lives.</summary>
    public string LeaderElectionNamespace { get; init; } = "kuroku-system";

    /// <summary>How often every WebApp is reconciled even when nothing changed.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The kubeconfig file to use; null: in-cluster service account, else $KUBECONFIG or ~/.kube/config.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context to use; null: the current one.</summary>
    public string? Context { get; init; }

    /// <summary>Plain HTTP port for /metrics, /healthz and /readyz.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>HTTPS port for the admission webhooks.</summary>
    public int WebhookPort { get; init; } = 9443;

    /// <summary>Where the webhook's tls.crt and tls.key live (mounted, or generated there).</summary>
    public string WebhookCertDir { get; init; } = "/tmp/k8s-webhook-server/serving-certs";

    /// <summary>Serve the admission webhooks.</summary>
    public bool Webhooks { get; init; } = true;

    /// <summary>cert-manager provides the webhook certificate (mounted in <see cref="WebhookCertDir"/>); else the operator makes one.</summary>
    public bool WebhookCertManager { get; init; }

    /// <summary>The Service in front of the webhook: the generated certificate's DNS names.</summary>
    public string? WebhookServiceName { get; init; }

    /// <summary>The Secret that holds the generated certificate, shared by every replica.</summary>
    public string? WebhookSecretName { get; init; }

    /// <summary>The ValidatingWebhookConfiguration whose caBundle the operator keeps current.</summary>
    public string? WebhookConfigurationName { get; init; }

    /// <summary>
    /// Requests per second to the API server, sustained (a client-side rate limit); 0: no client-side limit,
    /// the default: the API server's Priority and Fairness protects it, as SIG API Machinery recommends and
    /// controller-runtime does since v0.21.
    /// </summary>
    public double KubeApiQps { get; init; }

    /// <summary>With a <see cref="KubeApiQps"/>: requests at once above it; at least <see cref="KubeApiQps"/>.</summary>
    public int KubeApiBurst { get; init; } = 400;

    /// <summary>This replica's identity for leader election (the pod name in the cluster).</summary>
    public string Identity { get; init; } = Environment.MachineName;
}
