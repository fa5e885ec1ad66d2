using System.Text.Json;
using k8s;
using Kuroku.Operator.Hosting;

namespace Kuroku.Operator.UnitTests.Hosting;

/// <summary>The operator's kubeconfig reader gives the client's own model, field for field, as the client's loader does.</summary>
public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kuroku-kubeconfig-");

    public void Dispose() => directory.Delete(recursive: true);

    private const string Rich = """
        apiVersion: v1
        kind: Config
        preferences: {colors: true}
        clusters:
        - name: prod
          cluster:
            server: https://prod.example.com:6443
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
            tls-server-name: api.prod
            proxy-url: http://proxy:3128
            extensions:
            - name: client.authentication.k8s.io/exec
              extension: {audience: prod}
        - name: dev
          cluster:
            server: http://127.0.0.1:8080
            insecure-skip-tls-verify: true
            certificate-authority: certs/ca.crt
        users:
        - name: robot
          user:
            token: s3cr3t
            as: admin
            as-groups: [system:masters]
        - name: eks
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: aws
              args: [eks, get-token, --cluster-name, prod]
              env:
              - {name: AWS_PROFILE, value: prod}
              interactiveMode: Never
              provideClusterInfo: true
        - name: basic
          user: {username: alice, password: wonderland, client-certificate: tls/client.crt, client-key: tls/client.key}
        - name: legacy
          user:
            auth-provider:
              name: oidc
              config: {idp-issuer-url: https://issuer, client-id: kuroku}
        contexts:
        - name: prod
          context: {cluster: prod, user: basic, namespace: shop}
        - name: dev
          context: {cluster: dev, user: robot}
        current-context: dev
        unknown-field: ignored
        """;

    private FileInfo Write(string text)
    {
        var file = new FileInfo(Path.Combine(directory.FullName, "config"));
        File.WriteAllText(file.FullName, text);
        return file;
    }

    [Fact]
    public void A_kubeconfig_reads_into_the_same_model_as_the_clients_own_loader()
    {
        var file = Write(Rich);

        var ours = KubeconfigLoader.Read(file);
        var theirs = KubernetesClientConfiguration.LoadKubeConfig(file);

        JsonSerializer.Serialize(ours).Should().Be(JsonSerializer.Serialize(theirs));
        ours.FileName.Should().Be(file.FullName, "paths in the file are relative to it, as the client's loader has them");
        ours.Users.Single(u => u.Name == "eks").UserCredentials.ExternalExecution.Arguments.Should().Equal("eks", "get-token", "--cluster-name", "prod");
        ours.Clusters.Single(c => c.Name == "dev").ClusterEndpoint.SkipTlsVerify.Should().BeTrue();
    }

    [Fact]
    public void The_configuration_built_from_it_picks_the_current_or_the_given_context()
    {
        var file = Write(Rich);

        var current = KubeconfigLoader.Load(file.FullName, context: null);
        var named = KubeconfigLoader.Load(file.FullName, context: "prod");

        current.Host.Should().Be("http://127.0.0.1:8080");
        current.AccessToken.Should().Be("s3cr3t");
        current.SkipTlsVerify.Should().BeTrue();
        named.Host.Should().Be("https://prod.example.com:6443");
        named.Namespace.Should().Be("shop");
        named.TlsServerName.Should().Be("api.prod");
    }

    [Fact]
    public void A_missing_or_empty_file_is_refused_with_the_reason()
    {
        var missing = new FileInfo(Path.Combine(directory.FullName, "none"));

        FluentActions.Invoking(() => KubeconfigLoader.Read(missing)).Should().Throw<k8s.Exceptions.KubeConfigException>().WithMessage($"*not found at {missing.FullName}");
        FluentActions.Invoking(() => KubeconfigLoader.Read(Write(""))).Should().Throw<k8s.Exceptions.KubeConfigException>().WithMessage("it is empty or not a kubeconfig");
    }

    [Fact]
    public void A_kubeconfig_list_merges_as_kubectl_does_first_name_and_first_current_context_win_missing_files_skipped()
    {
        var first = Path.Combine(directory.FullName, "first");
        var second = Path.Combine(directory.FullName, "second");
        File.WriteAllText(first, """
            apiVersion: v1
            kind: Config
            clusters:
            - {name: shared, cluster: {server: "https://first:6443"}}
            users:
            - {name: robot, user: {token: one}}
            contexts:
            - {name: a, context: {cluster: shared, user: robot}}
            """);
        File.WriteAllText(second, """
            apiVersion: v1
            kind: Config
            current-context: b
            clusters:
            - {name: shared, cluster: {server: "https://second:6443"}}
            - {name: other, cluster: {server: "https://other:6443"}}
            users:
            - {name: robot, user: {token: two}}
            contexts:
            - {name: b, context: {cluster: other, user: robot, namespace: shop}}
            """);
        var list = string.Join(Path.PathSeparator, first, Path.Combine(directory.FullName, "missing"), second);

        var merged = KubeconfigLoader.ReadList(list);
        var current = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged);

        merged.CurrentContext.Should().Be("b", "the first file sets none, the second does");
        merged.Clusters.Select(c => (c.Name, c.ClusterEndpoint.Server)).Should().Equal(("shared", "https://first:6443"), ("other", "https://other:6443"));
        merged.Users.Should().ContainSingle().Which.UserCredentials.Token.Should().Be("one");
        merged.Contexts.Select(c => c.Name).Should().Equal("a", "b");
        current.Host.Should().Be("https://other:6443");
        current.AccessToken.Should().Be("one");
        current.Namespace.Should().Be("shop");
        FluentActions.Invoking(() => KubeconfigLoader.ReadList(Path.Combine(directory.FullName, "x") + Path.PathSeparator + Path.Combine(directory.FullName, "y")))
            .Should().Throw<k8s.Exceptions.KubeConfigException>().WithMessage("none of the files in $KUBECONFIG exists: *");
    }
}
