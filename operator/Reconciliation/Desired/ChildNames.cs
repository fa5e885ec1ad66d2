namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The names of a WebApp's children, named once so the builders, the reconciler and status agree.</summary>
public static class ChildNames
{
    /// <summary>The Deployment (and HorizontalPodAutoscaler) of one process: &lt;app&gt;-&lt;process&gt;.</summary>
    public static string Process(string app, string process) => $"{app}-{process}";

    /// <summary>The web Service and the Ingress: &lt;app&gt;.</summary>
    public static string Service(string app) => app;

    /// <summary>The Ingress: &lt;app&gt;.</summary>
    public static string Ingress(string app) => app;

    /// <summary>The ConfigMap with the router's nginx.conf, maintenance page and maintenance flag: &lt;app&gt;-router.</summary>
    public static string RouterConfigMap(string app) => $"{app}-router";

    /// <summary>The PodDisruptionBudget of the web process: &lt;app&gt;-web.</summary>
    public static string WebDisruptionBudget(string app) => $"{app}-web";

    /// <summary>The TLS Secret cert-manager issues into when spec.domains.tls.clusterIssuer is set: &lt;app&gt;-tls.</summary>
    public static string IssuedTlsSecret(string app) => $"{app}-tls";
}
