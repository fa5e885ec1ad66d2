namespace Kuroku.Operator.IntegrationTests.Tools;

/// <summary>A test's kubectl acts in the test's namespace only: every invocation carries it, another one is refused.</summary>
public sealed class KubectlNamespaceTests
{
    [Theory]
    [InlineData(new[] { "scale", "webapp/hello", "--replicas=3" }, new[] { "scale", "webapp/hello", "--replicas=3", "--namespace=t-1" })]
    [InlineData(new[] { "delete", "service/hello", "-n", "t-1" }, new[] { "delete", "service/hello", "-n", "t-1" })]
    [InlineData(new[] { "get", "pods", "--namespace=t-1" }, new[] { "get", "pods", "--namespace=t-1" })]
    [InlineData(new[] { "exec", "web", "--", "sh", "-c", "-n x" }, new[] { "exec", "web", "--namespace=t-1", "--", "sh", "-c", "-n x" })]
    public void Arguments_get_the_namespace_unless_they_name_it(string[] args, string[] bound)
    {
        Kubectl.BindToNamespace(args, "t-1").Should().Equal(bound);
    }

    [Theory]
    [InlineData("delete", "service/hello", "-n", "default")]
    [InlineData("delete", "service/hello", "--namespace", "default")]
    [InlineData("delete", "service/hello", "--namespace=default")]
    [InlineData("delete", "service/hello", "-ndefault")]
    [InlineData("get", "pods", "-A")]
    [InlineData("delete", "pods", "--all", "--all-namespaces")]
    public void Another_namespace_or_all_of_them_is_refused(params string[] args)
    {
        var bind = () => Kubectl.BindToNamespace(args, "t-1");

        bind.Should().Throw<InvalidOperationException>().WithMessage("*bound to namespace t-1*");
    }

    [Fact]
    public void A_kubeconfig_copy_gets_the_namespace_in_its_current_context_and_keeps_the_rest()
    {
        const string user = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster: {server: "https://prod.example.com", certificate-authority-data: Q0E=}
            users:
            - name: me
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token, args: [--cluster, prod]}
            contexts:
            - name: other
              context: {cluster: prod, user: me, namespace: other-team}
            - name: prod
              context: {cluster: prod, user: me, namespace: my-app}
            current-context: prod
            """;

        var bound = KubeconfigNamespace.Bind(user, "t-1");

        var config = k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(bound);
        config.CurrentContext.Should().Be("prod");
        config.Contexts.Single(c => c.Name == "prod").ContextDetails.Namespace.Should().Be("t-1");
        config.Contexts.Single(c => c.Name == "other").ContextDetails.Namespace.Should().Be("other-team", "only the current context is bound");
        config.Clusters.Single().ClusterEndpoint.Server.Should().Be("https://prod.example.com");
        config.Users.Single().UserCredentials.ExternalExecution.Command.Should().Be("get-token");
    }

    [Fact]
    public void A_kubeconfig_without_a_current_context_is_refused_with_what_to_do()
    {
        var bind = () => KubeconfigNamespace.Bind("apiVersion: v1\nkind: Config\ncontexts: []\n", "t-1");

        bind.Should().Throw<InvalidOperationException>().WithMessage("*no current-context*use-context*");
    }
}
