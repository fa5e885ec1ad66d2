using System.Security.Cryptography.X509Certificates;
using Kuroku.Operator.Webhooks;

namespace Kuroku.Operator.UnitTests.Webhooks;

/// <summary>The webhook's generated CA and serving certificate: what the API server checks in the TLS handshake.</summary>
public sealed class SelfSignedCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["kuroku-webhook", "kuroku-webhook.kuroku-system.svc", "localhost"];

    private static X509Chain ChainTrusting(X509Certificate2 ca, DateTimeOffset at)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain;
    }

    [Fact]
    public void The_serving_certificate_chains_to_the_ca_for_server_authentication()
    {
        var material = SelfSignedCertificates.Create(Names, Now, TimeSpan.FromDays(3650));
        using var ca = X509Certificate2.CreateFromPem(material.CaCertificatePem);
        using var leaf = X509Certificate2.CreateFromPem(material.CertificatePem);

        using var chain = ChainTrusting(ca, Now.AddDays(1));
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        chain.Build(leaf).Should().BeTrue(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        chain.ChainElements[^1].Certificate.Thumbprint.Should().Be(ca.Thumbprint);

        ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeTrue();
        leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeFalse();
        leaf.Subject.Should().Be("CN=kuroku-webhook");
    }

    [Fact]
    public void Another_ca_does_not_verify_the_serving_certificate()
    {
        var material = SelfSignedCertificates.Create(Names, Now, TimeSpan.FromDays(30));
        var other = SelfSignedCertificates.Create(Names, Now, TimeSpan.FromDays(30));
        using var otherCa = X509Certificate2.CreateFromPem(other.CaCertificatePem);
        using var leaf = X509Certificate2.CreateFromPem(material.CertificatePem);

        using var chain = ChainTrusting(otherCa, Now.AddDays(1));
        chain.Build(leaf).Should().BeFalse();
    }

    [Fact]
    public void The_serving_certificate_carries_every_name_as_a_dns_san()
    {
        var material = SelfSignedCertificates.Create(Names, Now, TimeSpan.FromDays(30));
        using var leaf = X509Certificate2.CreateFromPem(material.CertificatePem);

        leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Should().Equal(Names);
        leaf.MatchesHostname("localhost").Should().BeTrue();
        leaf.MatchesHostname("kuroku-webhook.kuroku-system.svc").Should().BeTrue();
        leaf.MatchesHostname("example.com").Should().BeFalse();
    }

    [Fact]
    public void Validity_starts_just_before_now_and_the_leaf_expires_before_its_ca()
    {
        var material = SelfSignedCertificates.Create(Names, Now, TimeSpan.FromDays(365));
        using var ca = X509Certificate2.CreateFromPem(material.CaCertificatePem);
        using var leaf = X509Certificate2.CreateFromPem(material.CertificatePem);

        leaf.NotBefore.ToUniversalTime().Should().Be(Now.UtcDateTime.AddMinutes(-5));
        ca.NotAfter.ToUniversalTime().Should().Be(Now.UtcDateTime.AddDays(365));
        leaf.NotAfter.Should().BeBefore(ca.NotAfter);
        using var late = ChainTrusting(ca, Now.AddDays(366));
        late.Build(leaf).Should().BeFalse("the certificate has expired by then");
    }

    [Fact]
    public void Load_pairs_the_certificate_with_its_private_key()
    {
        var material = SelfSignedCertificates.Create(Names, Now, TimeSpan.FromDays(30));

        using var loaded = SelfSignedCertificates.Load(material.CertificatePem, material.PrivateKeyPem);

        loaded.HasPrivateKey.Should().BeTrue();
        loaded.Thumbprint.Should().Be(X509Certificate2.CreateFromPem(material.CertificatePem).Thumbprint);
    }

    [Fact]
    public void No_names_is_refused() =>
        FluentActions.Invoking(() => SelfSignedCertificates.Create([], Now, TimeSpan.FromDays(1)))
            .Should().Throw<ArgumentException>().WithMessage("at least one DNS name is needed*");
}
