using System.Net;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Http;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// Metadata-only LIST and WATCH as kube-apiserver serves controller-runtime's metadata informers: the Accept
/// header's as=PartialObjectMetadataList / as=PartialObjectMetadata (meta.k8s.io), the first servable clause
/// winning, 406 NotAcceptable for what cannot be served.
/// </summary>
public sealed class MetadataOnlyTests : ApiServerTest, IDisposable
{
    // What client-go's metadata client sends: protobuf first (answered in JSON here), then JSON.
    private const string MetadataList = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private const string Metadata = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode Code, JsonObject Body)> GetAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUri, path));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private Task<V1ConfigMap> CreateAsync(string name) => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Data = new Dictionary<string, string> { ["big"] = new string('x', 1000) },
    }, "default");

    [Fact]
    public async Task A_list_asked_as_partial_object_metadata_list_carries_metadata_only_and_pages()
    {
        await CreateAsync("a");
        await CreateAsync("b");

        var (code, list) = await GetAsync("api/v1/namespaces/default/configmaps?limit=1", MetadataList);

        code.Should().Be(HttpStatusCode.OK);
        list["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadataList");
        list["apiVersion"]!.GetValue<string>().Should().Be("meta.k8s.io/v1");
        list["metadata"]!["continue"].Should().NotBeNull();
        var item = list["items"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        item.Select(p => p.Key).Should().Equal("kind", "apiVersion", "metadata");
        item["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadata");
        item["metadata"]!["labels"]!["app"]!.GetValue<string>().Should().Be("a");
        item["metadata"]!["resourceVersion"].Should().NotBeNull();
    }

    [Fact]
    public async Task A_watch_asked_as_partial_object_metadata_streams_metadata_only()
    {
        var rv = Server.ResourceVersion;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUri, $"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}"));
        request.Headers.TryAddWithoutValidation("Accept", Metadata);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        await CreateAsync("a");
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var e = JsonNode.Parse(line!)!;
        e["type"]!.GetValue<string>().Should().Be("ADDED");
        e["object"]!["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadata");
        e["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("a");
        e["object"]!["data"].Should().BeNull();
    }

    [Fact]
    public async Task What_cannot_be_served_is_406_not_acceptable()
    {
        await CreateAsync("a");

        var (code, status) = await GetAsync("api/v1/namespaces/default/configmaps", "application/json;as=Widget;g=meta.k8s.io;v=v1");
        code.Should().Be(HttpStatusCode.NotAcceptable);
        status["reason"]!.GetValue<string>().Should().Be("NotAcceptable");
        status["message"]!.GetValue<string>().Should().StartWith("only the following media types are accepted:");

        (await GetAsync("api/v1/namespaces/default/configmaps", "text/html")).Code.Should().Be(HttpStatusCode.NotAcceptable);
        (await GetAsync("api/v1/namespaces/default/configmaps", "application/vnd.kubernetes.protobuf")).Code.Should().Be(HttpStatusCode.OK, "answered in JSON, which client-go decodes by the Content-Type");
        var (listCode, listStatus) = await GetAsync("api/v1/namespaces/default/configmaps", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        listCode.Should().Be(HttpStatusCode.NotAcceptable);
        listStatus["message"]!.GetValue<string>().Should().StartWith("you requested PartialObjectMetadata, but the requested object is a list");
        (await GetAsync("api/v1/namespaces/default/configmaps/a", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")).Code.Should().Be(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task A_get_can_be_metadata_only_and_plain_json_is_the_whole_object()
    {
        await CreateAsync("a");

        (await GetAsync("api/v1/namespaces/default/configmaps/a", Metadata)).Body["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadata");
        (await GetAsync("api/v1/namespaces/default/configmaps/a", "application/json")).Body["data"].Should().NotBeNull();
        (await GetAsync("api/v1/namespaces/default/configmaps/a", "*/*")).Body["kind"]!.GetValue<string>().Should().Be("ConfigMap");
    }

    [Theory]
    [InlineData(null, ResponseShape.Object, "v1")]
    [InlineData("application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", ResponseShape.Table, "v1beta1")]
    [InlineData("application/vnd.kubernetes.protobuf, application/json", ResponseShape.Object, "v1")]
    [InlineData("application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", ResponseShape.PartialObjectMetadataList, "v1")]
    [InlineData("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v2, application/json;as=Table;g=meta.k8s.io;v=v1", ResponseShape.Table, "v1")]
    [InlineData("application/json;as=PartialObjectMetadataList;g=apps;v=v1, application/json", ResponseShape.Object, "v1")]
    public void The_first_clause_the_server_can_serve_wins(string? accept, ResponseShape shape, string version)
    {
        ResponseForm.Negotiate(accept).Should().Be(new ResponseForm(shape, version));
    }
}
