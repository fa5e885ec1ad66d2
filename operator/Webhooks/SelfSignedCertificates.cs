using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kuroku.Operator.Webhooks;

/// <summary>PEM-encoded certificate material for the webhook's TLS.</summary>
public sealed record TlsMaterial(string CaCertificatePem, string CertificatePem, string PrivateKeyPem);

/// <summary>
/// Makes a small CA and a serving certificate signed by it, for the webhook when cert-manager is not
/// in the cluster. The API server trusts the CA through the webhook configuration's caBundle.
/// </summary>
public static class SelfSignedCertificates
{
    public static TlsMaterial Create(IReadOnlyList<string> dnsNames, DateTimeOffset now, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        if (dnsNames.Count == 0)
        {
            throw new ArgumentException("at least one DNS name is needed", nameof(dnsNames));
        }

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kuroku-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.Add(validity));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var leaf = request.Create(ca, now.AddMinutes(-5), now.Add(validity).AddMinutes(-10), serial);

        return new TlsMaterial(ca.ExportCertificatePem(), leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The serving certificate with its key, ready for Kestrel.</summary>
    public static X509Certificate2 Load(string certificatePem, string privateKeyPem)
    {
        using var pem = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        // Kestrel on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
