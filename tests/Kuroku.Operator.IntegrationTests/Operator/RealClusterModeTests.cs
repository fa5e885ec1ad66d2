using System.Net;
using Kuroku.Testing.ApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>
/// The test bed in real-cluster mode (KUROKU_TEST_KUBECONFIG) touches nothing outside the test's namespace.
/// An in-process server plays the user's cluster: a kubeconfig whose current namespace is "default",
/// where the user runs their own app called hello.
/// </summary>
public sealed class RealClusterModeTests : IAsyncLifetime
{
    private KubeApiServer _userCluster = null!;
    private Kubernetes _user = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _userCluster = await KubeApiServer.StartAsync();
        _user = _userCluster.CreateClient();
        _kubeconfig = _userCluster.WriteKubeconfig(Path.Combine(Directory.CreateTempSubdirectory("kuroku-user-").FullName, "config"), "default");
        await _user.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "hello" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");
        await _user.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "hello-web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "hello" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "hello" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        }, "default");
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _userCluster.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_kubeconfig)!, recursive: true);
    }

    [Fact]
    public async Task Kubectl_acts_in_the_test_namespace_and_not_in_the_kubeconfigs_namespace()
    {
        var kubeconfigBefore = await File.ReadAllTextAsync(_kubeconfig);
        string ns;
        await using (var cluster = await TestCluster.StartAsync(_kubeconfig))
        {
            cluster.IsReal.Should().BeTrue();
            ns = cluster.Namespace;
            using var kubectl = cluster.Kubectl();

            // What the controller tests run: on the user's current namespace these would scale and delete their app.
            (await kubectl.RunAsync("delete", "service/hello", "deployment/hello-web", "--ignore-not-found", "--wait=false")).EnsureSuccess();
            (await kubectl.RunAsync("create", "configmap", "made-by-the-test", "--from-literal=k=v")).EnsureSuccess();
            (await kubectl.RunAsync("config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}")).EnsureSuccess()
                .StdOut.Should().Be(ns, "the kubeconfig copy names the test namespace too");
            var elsewhere = () => kubectl.RunAsync("get", "services", "-n", "default");
            await elsewhere.Should().ThrowAsync<InvalidOperationException>();

            kubectl.Invocations.Should().HaveCount(3).And.OnlyContain(args => args.Contains($"--namespace={ns}"));
            (await _user.CoreV1.ReadNamespacedConfigMapAsync("made-by-the-test", ns)).Data.Should().ContainKey("k");
        }

        (await _user.CoreV1.ReadNamespacedServiceAsync("hello", "default")).Should().NotBeNull("the user's Service is untouched");
        (await _user.AppsV1.ReadNamespacedDeploymentAsync("hello-web", "default")).Should().NotBeNull("the user's Deployment is untouched");
        (await _user.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Should().NotContain(c => c.Metadata.Name == "made-by-the-test");
        var gone = () => _user.CoreV1.ReadNamespaceAsync(ns);
        (await gone.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound, "the test deletes its namespace");
        (await File.ReadAllTextAsync(_kubeconfig)).Should().Be(kubeconfigBefore, "the user's kubeconfig is only copied");
    }

    [Fact]
    public async Task The_test_namespace_is_labelled_so_an_aborted_run_can_be_cleaned_up()
    {
        await using var cluster = await TestCluster.StartAsync(_kubeconfig);

        var labelled = await _user.CoreV1.ListNamespaceAsync(labelSelector: TestCluster.NamespaceLabel);

        labelled.Items.Select(n => n.Metadata.Name).Should().Equal(cluster.Namespace);
    }
}
