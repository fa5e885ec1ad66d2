using Kuroku.Kubectl.Kube;

namespace Kuroku.Kubectl.UnitTests.Kube;

public sealed class KubeconfigLocationTests
{
    [Theory]
    [InlineData("/flag", "/env", "/home/u", "/flag")]
    [InlineData(null, "/env", "/home/u", "/env")]
    [InlineData(null, "/missing:/env:/other", "/home/u", "/env")]
    [InlineData(null, "/missing:/gone", "/home/u", "/missing")]
    [InlineData(null, "", "/home/u", "/home/u/.kube/config")]
    [InlineData(null, null, null, "/.kube/config")]
    public void Flag_then_first_existing_KUBECONFIG_entry_then_home(string? flag, string? env, string? home, string expected)
    {
        var existing = new HashSet<string> { "/env", "/other", "/flag" };

        KubeconfigLocation.Resolve(flag, env, home, existing.Contains).Should().Be(expected);
    }
}
