using Kuroku.Api.Validation;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>The Docker reference grammar: what kubelet pulls is accepted, what it cannot parse is refused.</summary>
public sealed class ImageReferenceTests
{
    private const string Sha256 = "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";

    [Theory]
    [InlineData("shop")]
    [InlineData("shop:1.4.2")]
    [InlineData("acme/shop:latest")]
    [InlineData("registry.example.com/acme/shop:1.4.2")]
    [InlineData("registry.example.com:5000/acme/shop:1.4.2")]
    [InlineData("localhost/shop")]
    [InlineData("localhost:5000/shop:dev")]
    [InlineData("[::1]:5000/shop:dev")]
    [InlineData("Registry.Example.com/acme/shop")]
    [InlineData("ghcr.io/acme/my_app__x.y-z---w:V1_2.3-rc")]
    [InlineData("redis:6")]
    [InlineData("shop@" + Sha256)]
    [InlineData("ghcr.io/acme/shop:1.0@" + Sha256)]
    public void Accepts(string image) => ImageReference.IsValid(image).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Shop")]
    [InlineData("acme/Shop:1")]
    [InlineData("Acme/shop")]
    [InlineData("shop:1 ")]
    [InlineData(" shop")]
    [InlineData("shop:")]
    [InlineData("shop:-1")]
    [InlineData("shop:1:2")]
    [InlineData("registry.example.com/")]
    [InlineData("acme//shop")]
    [InlineData("acme/shop_")]
    [InlineData("acme/-shop")]
    [InlineData("-registry.example.com/shop")]
    [InlineData("shop@sha256:abc")]
    [InlineData("shop@md5:6c3c624b58dbbcd3c0dd82b4c53f0419")]
    [InlineData("shop@SHA256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b")]
    [InlineData("shop@sha256:6C3C624B58DBBCD3C0DD82B4C53F04194D1247C6EEBDAAB7C610CF7D66709B3B")]
    [InlineData("shop\n")]
    public void Refuses(string? image) => ImageReference.IsValid(image).Should().BeFalse();

    [Fact]
    public void Refuses_a_tag_longer_than_128_characters()
    {
        ImageReference.IsValid("shop:" + new string('a', 128)).Should().BeTrue();
        ImageReference.IsValid("shop:" + new string('a', 129)).Should().BeFalse();
    }

    [Fact]
    public void Refuses_a_name_longer_than_255_characters()
    {
        ImageReference.IsValid("r.io/" + new string('a', 250)).Should().BeTrue();
        ImageReference.IsValid("r.io/" + new string('a', 251)).Should().BeFalse();
    }
}
