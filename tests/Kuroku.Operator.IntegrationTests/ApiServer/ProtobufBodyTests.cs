using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer;
using Kuroku.Testing.ApiServer.Http;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// kubectl's typed create commands send protobuf (Content-Type application/vnd.kubernetes.protobuf) whatever
/// the server's discovery says, and do not fall back to JSON on a 415: the server reads those bodies.
/// The bodies below were captured from kubectl 1.32 (kubectl create namespace nsx; create configmap cm
/// --from-literal=k=v --from-literal=k2=v2; create secret docker-registry d --docker-server=r ...).
/// </summary>
public sealed class ProtobufBodyTests : IAsyncLifetime
{
    private const string Namespace = "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnN4EgAaACIAKgAyADgAQgASABoCCgAaACIA";
    private const string ConfigMap = "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiYKEgoCY20SABoAIgAqADIAOABCABIGCgFrEgF2EggKAmsyEgJ2MhoAIgA=";
    private const string DockerSecret = "azhzAAoMCgJ2MRIGU2VjcmV0EocBChEKAWQSABoAIgAqADIAOABCABJSChEuZG9ja2VyY29uZmlnanNvbhI9eyJhdXRocyI6eyJyIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fRoea3ViZXJuZXRlcy5pby9kb2NrZXJjb25maWdqc29uGgAiAA==";

    private KubeApiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _kubectl = Kubectl.For(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public void Captured_bodies_decode_to_the_objects_kubectl_meant()
    {
        JsonNode.DeepEquals(ProtobufBody.Decode(Convert.FromBase64String(Namespace)),
            JsonNode.Parse("""{"metadata":{"name":"nsx"},"spec":{},"status":{},"apiVersion":"v1","kind":"Namespace"}""")).Should().BeTrue();
        JsonNode.DeepEquals(ProtobufBody.Decode(Convert.FromBase64String(ConfigMap)),
            JsonNode.Parse("""{"metadata":{"name":"cm"},"data":{"k":"v","k2":"v2"},"apiVersion":"v1","kind":"ConfigMap"}""")).Should().BeTrue();
        var secret = ProtobufBody.Decode(Convert.FromBase64String(DockerSecret));
        secret["type"]!.GetValue<string>().Should().Be("kubernetes.io/dockerconfigjson");
        Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]![".dockerconfigjson"]!.GetValue<string>())).Should().Contain("\"username\":\"u\"");
    }

    [Fact]
    public void A_body_without_the_envelope_or_cut_short_is_a_bad_request()
    {
        var bare = () => ProtobufBody.Decode("{}"u8.ToArray());
        var cut = () => ProtobufBody.Decode(Convert.FromBase64String(ConfigMap)[..30]);

        bare.Should().Throw<ApiException>().Which.Code.Should().Be(400);
        cut.Should().Throw<ApiException>().Which.Code.Should().Be(400);
    }

    [Fact]
    public async Task Kubectl_creates_a_namespace_a_secret_a_configmap_and_a_service_account()
    {
        (await _kubectl.RunAsync("create", "namespace", "shop")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "secret", "generic", "shop-db", "-n", "shop", "--from-literal=url=postgres://db/shop")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "configmap", "settings", "-n", "shop", "--from-literal=mode=fast")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "serviceaccount", "runner", "-n", "shop")).EnsureSuccess();

        _server.GetObject("", "namespaces", null, "shop")!["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>().Should().Be("shop");
        var secret = _server.GetObject("", "secrets", "shop", "shop-db")!;
        secret["type"]!.GetValue<string>().Should().Be("Opaque");
        Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["url"]!.GetValue<string>())).Should().Be("postgres://db/shop");
        _server.GetObject("", "configmaps", "shop", "settings")!["data"]!["mode"]!.GetValue<string>().Should().Be("fast");
        _server.GetObject("", "serviceaccounts", "shop", "runner").Should().NotBeNull();
    }

    [Fact]
    public async Task A_kind_whose_protobuf_is_not_read_gets_a_415_that_says_to_send_json()
    {
        var result = await _kubectl.RunAsync("create", "deployment", "web", "--image=nginx:1.27");

        result.ExitCode.Should().NotBe(0);
        result.StdErr.Should().Contain("reads protobuf bodies of ConfigMap, Namespace, Secret, ServiceAccount only, not Deployment").And.Contain("kubectl create -f");
    }
}
