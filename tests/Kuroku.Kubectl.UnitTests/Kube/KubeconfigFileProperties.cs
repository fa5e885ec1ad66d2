using System.Text;
using CsCheck;
using Kuroku.Kubectl.Kube;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Kube;

/// <summary>
/// Generated kubeconfig files (bytes, YAML-ish text, a kubeconfig with lines dropped or values swapped; servers
/// only on 127.0.0.1 or not URLs at all, no exec or auth-provider): each is refused with exit code 1 and one
/// line, never a stack trace. CsCheck prints the seed of a failure; replay it with CsCheck_Seed=SEED.
/// </summary>
public sealed class KubeconfigFileProperties : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kuroku-kubeconfigs-");

    public void Dispose() => directory.Delete(recursive: true);

    private static readonly string[] Template =
    [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: t",
        "  cluster:",
        "    server: SERVER",
        "    certificate-authority-data: CA",
        "    insecure-skip-tls-verify: true",
        "users:",
        "- name: t",
        "  user:",
        "    token: x",
        "    client-certificate-data: CA",
        "contexts:",
        "- name: t",
        "  context:",
        "    cluster: t",
        "    user: t",
        "    namespace: shop",
        "current-context: t",
    ];

    private static readonly Gen<string> Server = Gen.OneOf("https://127.0.0.1:1", "http://127.0.0.1:1", "not a url", "", "http://[::1", "ftp://127.0.0.1:1", "https://127.0.0.1:99999", "~");
    private static readonly Gen<string> Ca = Gen.OneOf("!!!", "", "aGVsbG8=", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", "[]", "{}");

    private static readonly Gen<byte[]> Mutated = Gen.Select(Server, Ca, Gen.Bool.Array[Template.Length], Gen.OneOf("", "\t", "  ", ": x", "- y", "{", "'"),
        (server, ca, keep, noise) => Encoding.UTF8.GetBytes(string.Join('\n', Template
            .Where((_, i) => keep[i] || i < 2)
            .Select((line, i) => (i % 5 == 4 ? line + noise : line).Replace("SERVER", $"\"{server}\"", StringComparison.Ordinal).Replace("CA", ca, StringComparison.Ordinal)))));

    private static readonly Gen<byte[]> Text = Gen.OneOf(Template.Select(Gen.Const).ToArray()).Array[0, 12]
        .Select(lines => Encoding.UTF8.GetBytes(string.Join('\n', lines)));

    private static readonly Gen<byte[]> Files = Gen.Frequency((2, Gen.Byte.Array[0, 300]), (2, Text), (4, Mutated));

    [Fact]
    public void A_kubeconfig_the_plugin_cannot_use_is_refused_in_a_line_with_exit_code_1()
    {
        Files.Sample(content =>
        {
            var path = Path.Combine(directory.FullName, Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(path, content);
            using var stdout = new StringWriter { NewLine = "\n" };
            using var stderr = new StringWriter { NewLine = "\n" };

            var code = Plugin.RunAsync(["ps", "shop", "--kubeconfig", path], stdout, stderr,
                o => KurokuCluster.Connect(o.Kubeconfig!, o.Context), new FixedClock(Apps.Now), CancellationToken.None).GetAwaiter().GetResult();

            code.Should().Be(Plugin.Failed);
            stdout.ToString().Should().BeEmpty();
            stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
                .Which.Should().StartWith("error").And.NotContain("   at ");
        }, iter: 100, print: content => Encoding.UTF8.GetString(content));
    }
}
