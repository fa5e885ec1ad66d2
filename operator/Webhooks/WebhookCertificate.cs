using System.Security.Cryptography.X509Certificates;

namespace Kuroku.Operator.Webhooks;

/// <summary>The certificate the webhook serves, filled at start and swapped on renewal; Kestrel asks it per handshake.</summary>
public sealed class WebhookCertificate
{
    private volatile X509Certificate2? _current;

    public X509Certificate2? Current => _current;

    public void Set(X509Certificate2 certificate) => _current = certificate;
}
