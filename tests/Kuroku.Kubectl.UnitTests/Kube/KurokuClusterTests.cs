using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Kube;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Kubectl.UnitTests.Kube;

/// <summary>
/// The I/O class against a real HTTP server that answers as the API server would: the paths, verbs
/// and patch content types it sends, and how it reads answers. (End-to-end tests of whole commands
/// belong with the in-process API server.)
/// </summary>
public sealed class KurokuClusterTests : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, string Body)> requests = new();
    private readonly Dictionary<string, (int Code, string Body)> answers = [];
    private readonly string kubeconfig = Path.GetTempFileName();
    private readonly Task serving;

    public KurokuClusterTests()
    {
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
        File.WriteAllText(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster: {server: "http://127.0.0.1:{{port}}"}
            users:
            - name: test
              user: {token: t}
            contexts:
            - name: plain
              context: {cluster: test, user: test}
            - name: prod
              context: {cluster: test, user: test, namespace: prod}
            current-context: plain
            """);
    }

    public void Dispose()
    {
        listener.Close();
        File.Delete(kubeconfig);
    }

    [Fact]
    public void The_default_namespace_is_the_contexts_else_default()
    {
        using var plain = KurokuCluster.Connect(kubeconfig, null);
        using var prod = KurokuCluster.Connect(kubeconfig, "prod");

        plain.DefaultNamespace.Should().Be("default");
        prod.DefaultNamespace.Should().Be("prod");
    }

    [Fact]
    public async Task Reads_the_webapp_and_sends_patches_with_their_content_type()
    {
        const string App = """{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"shop","namespace":"prod","resourceVersion":"9"},"spec":{"image":"i:1","processes":{"web":{"replicas":2}}},"status":{"release":3}}""";
        answers["GET /apis/kuroku.dev/v1alpha1/namespaces/prod/webapps/shop"] = (200, App);
        answers["PATCH /apis/kuroku.dev/v1alpha1/namespaces/prod/webapps/shop"] = (200, App);
        using var cluster = KurokuCluster.Connect(kubeconfig, null);

        var app = await cluster.GetWebAppAsync("prod", "shop", CancellationToken.None);
        await cluster.PatchWebAppAsync("prod", "shop", new WebAppPatch(PatchKind.Merge, """{"spec":{"maintenance":true}}"""), CancellationToken.None);
        await cluster.PatchWebAppAsync("prod", "shop", new WebAppPatch(PatchKind.Json, """[{"op":"test","path":"/metadata/resourceVersion","value":"9"}]"""), CancellationToken.None);

        app!.Metadata.ResourceVersion.Should().Be("9");
        app.Spec.Processes["web"].Replicas.Should().Be(2);
        app.Status!.Release.Should().Be(3);
        var patches = requests.Where(r => r.Method == "PATCH").ToList();
        patches.Select(p => (p.ContentType!.Split(';')[0], p.Body)).Should().Equal(
            ("application/merge-patch+json", """{"spec":{"maintenance":true}}"""),
            ("application/json-patch+json", """[{"op":"test","path":"/metadata/resourceVersion","value":"9"}]"""));
    }

    [Fact]
    public async Task A_missing_object_is_null_a_missing_resource_type_is_an_error()
    {
        answers["GET /apis/kuroku.dev/v1alpha1/namespaces/prod/webapps/gone"] = (404,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"webapps.kuroku.dev \"gone\" not found","reason":"NotFound","code":404}""");
        answers["GET /apis/kuroku.dev/v1alpha1/namespaces/nocrd/webapps/shop"] = (404,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}""");
        answers["GET /apis/apps/v1/namespaces/prod/controllerrevisions/shop-v9"] = (404,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"controllerrevisions.apps \"shop-v9\" not found","reason":"NotFound","code":404}""");
        using var cluster = KurokuCluster.Connect(kubeconfig, null);

        (await cluster.GetWebAppAsync("prod", "gone", CancellationToken.None)).Should().BeNull();
        (await cluster.GetRevisionAsync("prod", "shop-v9", CancellationToken.None)).Should().BeNull();
        var noCrd = () => cluster.GetWebAppAsync("nocrd", "shop", CancellationToken.None);
        (await noCrd.Should().ThrowAsync<CommandException>()).Which.Message.Should().Contain("is the Kuroku CRD installed?");
    }

    [Fact]
    public async Task Lists_revisions_by_label_and_surfaces_server_errors()
    {
        answers["GET /apis/apps/v1/namespaces/prod/controllerrevisions?labelSelector=kuroku.dev%2Fwebapp%3Dshop"] = (200,
            """{"kind":"ControllerRevisionList","apiVersion":"apps/v1","metadata":{},"items":[{"metadata":{"name":"shop-v2"},"revision":2,"data":{"image":"i:2"}}]}""");
        answers["PATCH /apis/kuroku.dev/v1alpha1/namespaces/prod/webapps/shop"] = (409,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the object has been modified","reason":"Conflict","code":409}""");
        using var cluster = KurokuCluster.Connect(kubeconfig, null);

        var revisions = await cluster.ListRevisionsAsync("prod", "kuroku.dev/webapp=shop", CancellationToken.None);
        var patch = () => cluster.PatchWebAppAsync("prod", "shop", new WebAppPatch(PatchKind.Merge, "{}"), CancellationToken.None);

        revisions.Should().ContainSingle().Which.Revision.Should().Be(2);
        var conflict = (await patch.Should().ThrowAsync<KubernetesApiException>()).Which;
        conflict.IsConflict.Should().BeTrue();
        conflict.ServerMessage.Should().Be("the object has been modified");
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.PathAndQuery;
            requests.Enqueue((context.Request.HttpMethod, path, context.Request.ContentType, body));
            var (code, answer) = answers.TryGetValue($"{context.Request.HttpMethod} {path}", out var a)
                ? a
                : (404, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"no answer for this request in the test","reason":"NotFound","code":404}""");
            context.Response.StatusCode = code;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
