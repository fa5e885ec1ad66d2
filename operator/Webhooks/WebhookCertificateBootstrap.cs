using System.Text;
using Kuroku.Operator.Configuration;
using k8s;
using k8s.Autorest;

namespace Kuroku.Operator.Webhooks;

/// <summary>
/// Gets the webhook its certificate, on every replica, before the HTTPS endpoint is ready:
/// mounted files first (cert-manager, or a Secret mounted by hand); else the shared Secret the chart
/// names, filling it with a generated CA and certificate when it is empty (the first replica's write
/// wins; the others read it back) and keeping the ValidatingWebhookConfiguration's caBundle current;
/// else, outside a cluster, a certificate made in memory for localhost.
/// </summary>
public sealed class WebhookCertificateBootstrap(
    OperatorOptions options,
    WebhookCertificate holder,
    IKubernetes kubernetes,
    TimeProvider clock,
    ILogger<WebhookCertificateBootstrap> logger) : BackgroundService
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await LoadAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt)));
                logger.LogError(e, "Webhook certificate not ready; trying again in {Delay}", delay);
                await Task.Delay(delay, clock, stoppingToken);
            }
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var crt = Path.Combine(options.WebhookCertDir, "tls.crt");
        var key = Path.Combine(options.WebhookCertDir, "tls.key");
        if (File.Exists(crt) && File.Exists(key) && new FileInfo(crt).Length > 0)
        {
            holder.Set(SelfSignedCertificates.Load(await File.ReadAllTextAsync(crt, ct), await File.ReadAllTextAsync(key, ct)));
            logger.LogInformation("Webhook serves the certificate mounted in {Directory}", options.WebhookCertDir);
            return;
        }

        if (options.WebhookCertManager)
        {
            throw new InvalidOperationException($"cert-manager mode, but no tls.crt/tls.key in {options.WebhookCertDir} yet");
        }

        var ns = options.LeaderElectionNamespace;
        var service = options.WebhookServiceName ?? "kuroku-webhook";
        string[] names = [service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local", "localhost"];
        if (options.WebhookSecretName is null)
        {
            var material = SelfSignedCertificates.Create(names, clock.GetUtcNow(), Validity);
            holder.Set(SelfSignedCertificates.Load(material.CertificatePem, material.PrivateKeyPem));
            logger.LogWarning("No webhook Secret configured: serving a certificate made in memory (fine for local runs)");
            return;
        }

        var tls = await SharedMaterialAsync(ns, options.WebhookSecretName, names, ct);
        if (options.WebhookConfigurationName is { } configuration)
        {
            // Before the certificate is served (and /readyz says ok): the API server must trust it first.
            await EnsureCaBundleAsync(configuration, tls.CaCertificatePem, ct);
        }

        holder.Set(SelfSignedCertificates.Load(tls.CertificatePem, tls.PrivateKeyPem));
    }

    private async Task<TlsMaterial> SharedMaterialAsync(string ns, string name, string[] names, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var secret = await kubernetes.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct);
            if (secret.Data is { } d && d.TryGetValue("tls.crt", out var c) && d.TryGetValue("tls.key", out var k) && d.TryGetValue("ca.crt", out var ca) && c.Length > 0)
            {
                return new TlsMaterial(Encoding.UTF8.GetString(ca), Encoding.UTF8.GetString(c), Encoding.UTF8.GetString(k));
            }

            var material = SelfSignedCertificates.Create(names, clock.GetUtcNow(), Validity);
            secret.Data = new Dictionary<string, byte[]>
            {
                ["ca.crt"] = Encoding.UTF8.GetBytes(material.CaCertificatePem),
                ["tls.crt"] = Encoding.UTF8.GetBytes(material.CertificatePem),
                ["tls.key"] = Encoding.UTF8.GetBytes(material.PrivateKeyPem),
            };
            try
            {
                await kubernetes.CoreV1.ReplaceNamespacedSecretAsync(secret, name, ns, cancellationToken: ct);
                logger.LogInformation("Generated the webhook certificate into Secret {Namespace}/{Name}", ns, name);
                return material;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 5)
            {
                // Another replica filled it first: use theirs.
            }
        }
    }

    private async Task EnsureCaBundleAsync(string name, string caPem, CancellationToken ct)
    {
        var bundle = Encoding.UTF8.GetBytes(caPem);
        for (var attempt = 0; ; attempt++)
        {
            var configuration = await kubernetes.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(name, cancellationToken: ct);
            var stale = configuration.Webhooks?.Where(w => w.ClientConfig.CaBundle is null || !w.ClientConfig.CaBundle.SequenceEqual(bundle)).ToList() ?? [];
            if (stale.Count == 0)
            {
                return;
            }

            foreach (var webhook in stale)
            {
                webhook.ClientConfig.CaBundle = bundle;
            }

            try
            {
                await kubernetes.AdmissionregistrationV1.ReplaceValidatingWebhookConfigurationAsync(configuration, name, cancellationToken: ct);
                logger.LogInformation("Set the caBundle of ValidatingWebhookConfiguration {Name}", name);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 5)
            {
            }
        }
    }
}
