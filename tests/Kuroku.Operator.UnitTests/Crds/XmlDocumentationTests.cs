using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Crds;

namespace Kuroku.Operator.UnitTests.Crds;

public sealed class XmlDocumentationTests
{
    [Fact]
    public void Each_assembly_s_documentation_is_read_once_per_process()
    {
        // KubernetesClient.xml is 25 MB: render and the webhook build schemas often, the file is parsed once.
        var first = XmlDocumentation.For(typeof(V1EnvVar).Assembly);
        var second = XmlDocumentation.For(typeof(V1EnvVar).Assembly);

        second.Should().BeSameAs(first);
        XmlDocumentation.For(typeof(WebApp).Assembly).Should().NotBeSameAs(first);
        XmlDocumentation.For(typeof(WebApp).Assembly).Summary(typeof(WebAppSpec)).Should().NotBeNullOrEmpty();
    }
}
