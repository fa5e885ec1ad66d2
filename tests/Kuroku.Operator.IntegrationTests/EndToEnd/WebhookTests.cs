using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Hosting;
using Kuroku.Operator.IntegrationTests.Operator;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>One operator with webhooks on and the in-memory localhost certificate, shared by the admission tests.</summary>
public sealed class WebhookOperator : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;
    public OperatorOptions Options { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.StartAsync();
        Options = await Cluster.StartOperatorAsync(o => o with { Webhooks = true, WebhookCertDir = Path.Combine(Path.GetTempPath(), "kuroku-no-certs-" + Guid.NewGuid().ToString("N")) });
        await WebhookClient.WaitUntilReadyAsync(Options);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>An HttpClient for the operator's ports that accepts a certificate from an unknown CA (only) and keeps the one it was served.</summary>
internal sealed class WebhookClient : IDisposable
{
    private readonly HttpClient _http;

    public WebhookClient()
    {
        var handler = new SocketsHttpHandler();
        // The operator's own CA is not trusted here; everything else must hold (the name "localhost" included).
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            ServedCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return errors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateChainErrors;
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public X509Certificate2? ServedCertificate { get; private set; }

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(new Uri(url));

    public async Task<(HttpStatusCode Code, JsonNode? Body)> PostAsync(string url, JsonNode review)
    {
        using var content = new StringContent(review.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri(url), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonNode.Parse(text) : null);
    }

    /// <summary>Posts any text as a JSON body; the status code and the body's text.</summary>
    public async Task<(HttpStatusCode Code, string Body)> PostTextAsync(string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(url), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string WebhookUrl(OperatorOptions o) => $"https://localhost:{o.WebhookPort}{OperatorHost.WebhookPath}";

    public static string HttpUrl(OperatorOptions o, string path) => $"http://localhost:{o.HttpPort}{path}";

    /// <summary>Waits for /readyz, which holds back until the webhook has its certificate.</summary>
    public static async Task WaitUntilReadyAsync(OperatorOptions o)
    {
        using var client = new WebhookClient();
        await TestCluster.EventuallyAsync(async () =>
        {
            try
            {
                using var response = await client.GetAsync(HttpUrl(o, "/readyz"));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the operator to be ready");
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// The validating webhook as the API server calls it: AdmissionReview v1 over HTTPS to the operator's
/// webhook port, served with the certificate the operator made for localhost.
/// </summary>
public sealed class WebhookTests(WebhookOperator fixture) : IClassFixture<WebhookOperator>, IDisposable
{
    private readonly WebhookClient _client = new();

    public void Dispose() => _client.Dispose();

    private static JsonObject Example(string name) =>
        JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<Api.V1Alpha1.WebApp>(
            File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", name)))))!.AsObject();

    private static JsonObject Review(string uid, string operation, JsonObject app) => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = "kuroku.dev", ["version"] = "v1alpha1", ["kind"] = "WebApp" },
            ["resource"] = new JsonObject { ["group"] = "kuroku.dev", ["version"] = "v1alpha1", ["resource"] = "webapps" },
            ["name"] = app["metadata"]?["name"]?.DeepClone(),
            ["namespace"] = "shop",
            ["operation"] = operation,
            ["object"] = operation == "DELETE" ? null : app,
            ["oldObject"] = operation is "UPDATE" or "DELETE" ? app.DeepClone() : null,
        },
    };

    private async Task<JsonNode> AdmitAsync(string uid, string operation, JsonObject app)
    {
        var (code, body) = await _client.PostAsync(WebhookClient.WebhookUrl(fixture.Options), Review(uid, operation, app));
        code.Should().Be(HttpStatusCode.OK);
        body!["apiVersion"]!.GetValue<string>().Should().Be("admission.k8s.io/v1");
        body["kind"]!.GetValue<string>().Should().Be("AdmissionReview");
        body["response"]!["uid"]!.GetValue<string>().Should().Be(uid, "the API server matches the response by uid");
        return body["response"]!;
    }

    public sealed record Invalid(string Name, string Example, Action<JsonObject> Break, string[] Fields)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Invalid> InvalidVariants() =>
    [
        new("no image", "minimal.yaml", a => a["spec"]!["image"] = "", ["spec.image"]),
        new("upper-case image", "webapp.yaml", a => a["spec"]!["image"] = "Registry/Shop:1", ["spec.image"]),
        new("port out of range", "webapp.yaml", a => a["spec"]!["port"] = 70000, ["spec.port"]),
        new("upper-case app name", "minimal.yaml", a => a["metadata"]!["name"] = "Hello", ["metadata.name"]),
        new("negative replicas", "webapp.yaml", a => a["spec"]!["processes"]!["worker"]!["replicas"] = -1, ["spec.processes.worker.replicas"]),
        new("unknown size", "webapp.yaml", a => a["spec"]!["processes"]!["worker"]!["size"] = "standard-3x", ["spec.processes.worker.size"]),
        new("no processes", "minimal.yaml", a => a["spec"]!["processes"] = new JsonObject(), ["spec.processes"]),
        new("static without web", "webapp.yaml", a =>
        {
            var processes = a["spec"]!["processes"]!.AsObject();
            var web = processes["web"]!.DeepClone();
            processes.Remove("web");
            processes["www"] = web;
        }, ["spec.processes.web"]),
        new("several rules at once", "webapp.yaml", a =>
        {
            a["spec"]!["image"] = "";
            a["spec"]!["port"] = 0;
            a["spec"]!["processes"]!["worker"]!["replicas"] = -3;
        }, ["spec.image", "spec.port", "spec.processes.worker.replicas"]),
    ];

    [Theory]
    [MemberData(nameof(InvalidVariants))]
    public async Task An_invalid_webapp_is_refused_with_the_field_path_of_every_broken_rule(Invalid variant)
    {
        var app = Example(variant.Example);
        variant.Break(app);
        var uid = Guid.NewGuid().ToString();

        var response = await AdmitAsync(uid, "CREATE", app);

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        var status = response["status"]!;
        status["code"]!.GetValue<int>().Should().Be(422);
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        var fields = status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToList();
        fields.Should().BeEquivalentTo(variant.Fields);
        var message = status["message"]!.GetValue<string>();
        message.Should().StartWith($"WebApp \"{app["metadata"]!["name"]}\" is invalid: ");
        foreach (var field in variant.Fields)
        {
            message.Should().Contain(field + ": ");
        }
    }

    [Theory]
    [InlineData("minimal.yaml", "CREATE")]
    [InlineData("webapp.yaml", "CREATE")]
    [InlineData("webapp.yaml", "UPDATE")]
    public async Task A_valid_webapp_is_allowed(string example, string operation)
    {
        var response = await AdmitAsync(Guid.NewGuid().ToString(), operation, Example(example));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        response["status"].Should().BeNull();
    }

    [Fact]
    public async Task Delete_is_allowed_even_for_an_invalid_webapp()
    {
        var app = Example("minimal.yaml");
        app["spec"]!["image"] = "";

        var response = await AdmitAsync("delete-1", "DELETE", app);

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task The_served_certificate_names_localhost_and_is_currently_valid()
    {
        await AdmitAsync("cert-1", "CREATE", Example("minimal.yaml"));

        var certificate = _client.ServedCertificate;
        certificate.Should().NotBeNull();
        var san = certificate!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        san.EnumerateDnsNames().Should().Contain("localhost").And.Contain($"kuroku-webhook.{fixture.Options.LeaderElectionNamespace}.svc");
        certificate.NotBefore.Should().BeBefore(DateTime.Now);
        certificate.NotAfter.Should().BeAfter(DateTime.Now.AddDays(365));
    }

    [Fact]
    public async Task Each_endpoint_answers_on_its_own_port_only()
    {
        var o = fixture.Options;
        using var webhookOverHttp = new StringContent(Review("x", "CREATE", Example("minimal.yaml")).ToJsonString(), Encoding.UTF8, "application/json");
        using var http = new HttpClient();

        (await http.PostAsync(new Uri(WebhookClient.HttpUrl(o, OperatorHost.WebhookPath)), webhookOverHttp)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync($"https://localhost:{o.WebhookPort}/metrics")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync($"https://localhost:{o.WebhookPort}/healthz")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync(WebhookClient.HttpUrl(o, "/healthz"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_review_without_a_request_is_a_bad_request()
    {
        var (code, _) = await _client.PostAsync(WebhookClient.WebhookUrl(fixture.Options), new JsonObject { ["kind"] = "AdmissionReview" });

        code.Should().Be(HttpStatusCode.BadRequest);
    }

    public static TheoryData<string, HttpStatusCode, string> HostileBodies => new()
    {
        { "", HttpStatusCode.BadRequest, "the request body is not JSON" },
        { "{\"apiVersion\":", HttpStatusCode.BadRequest, "the request body is not JSON" },
        { "\"just a string\"", HttpStatusCode.BadRequest, "expected an admission.k8s.io/v1 AdmissionReview" },
        { new string('[', 10_000) + new string(']', 10_000), HttpStatusCode.BadRequest, "the request body is not JSON" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":true}}", HttpStatusCode.BadRequest, "request.uid: Required value" },
        { "{\"a\":\"" + new string('x', 8 * 1024 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge, "larger than" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_body_that_is_no_review_gets_a_status_never_a_server_error(string body, HttpStatusCode expected, string message)
    {
        var (code, text) = await _client.PostTextAsync(WebhookClient.WebhookUrl(fixture.Options), body);

        code.Should().Be(expected);
        var status = JsonNode.Parse(text)!;
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["message"]!.GetValue<string>().Should().Contain(message);
    }

    [Fact]
    public async Task An_object_with_fields_of_the_wrong_json_type_is_denied_naming_them()
    {
        var app = Example("minimal.yaml");
        app["spec"]!["image"] = 42;
        app["spec"]!["processes"]!["web"] = new JsonObject { ["replicas"] = "1e400" };

        var response = await AdmitAsync("types-1", "CREATE", app);

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(422);
        response["status"]!["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>())
            .Should().BeEquivalentTo(["spec.image", "spec.processes.web.replicas"]);
    }
}

/// <summary>
/// The webhook certificate shared through a Secret: the first replica fills the Secret and sets the
/// ValidatingWebhookConfiguration's caBundle; a second replica serves the same certificate.
/// </summary>
public sealed class WebhookCertificateBootstrapTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private readonly string _configuration = "kuroku-test-" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync()
    {
        try
        {
            await _cluster.Client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(_configuration);
        }
        catch (k8s.Autorest.HttpOperationException)
        {
        }

        await _cluster.DisposeAsync();
    }

    private OperatorOptions WithSharedSecret(OperatorOptions o) => o with
    {
        Webhooks = true,
        WebhookSecretName = "kuroku-webhook-tls",
        WebhookConfigurationName = _configuration,
        WebhookServiceName = "kuroku-webhook",
        WebhookCertDir = Path.Combine(Path.GetTempPath(), "kuroku-no-certs-" + Guid.NewGuid().ToString("N")),
    };

    [Fact]
    public async Task The_first_replica_fills_the_secret_and_the_ca_bundle_and_the_next_reuses_them()
    {
        var ns = _cluster.Namespace;
        await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "kuroku-webhook-tls" },
            Type = "kubernetes.io/tls",
        }, ns);
        await _cluster.Client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = _configuration },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = "webapps.kuroku.dev",
                    AdmissionReviewVersions = ["v1"],
                    SideEffects = "None",
                    FailurePolicy = "Ignore",
                    // A resource nothing serves: harmless on a real cluster too.
                    Rules = [new V1RuleWithOperations { ApiGroups = ["example.invalid"], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["nothings"] }],
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig
                    {
                        Service = new Admissionregistrationv1ServiceReference { Name = "kuroku-webhook", NamespaceProperty = ns, Path = OperatorHost.WebhookPath },
                    },
                },
            ],
        });

        var first = await _cluster.StartOperatorAsync(WithSharedSecret);
        await WebhookClient.WaitUntilReadyAsync(first);

        var secret = await _cluster.Client.CoreV1.ReadNamespacedSecretAsync("kuroku-webhook-tls", ns);
        secret.Data.Keys.Should().BeEquivalentTo(["ca.crt", "tls.crt", "tls.key"]);
        var ca = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(secret.Data["ca.crt"]));
        var leaf = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(secret.Data["tls.crt"]));
        var configuration = await _cluster.Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(_configuration);
        configuration.Webhooks.Single().ClientConfig.CaBundle.Should().Equal(secret.Data["ca.crt"]);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.Build(leaf).Should().BeTrue(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames()
            .Should().Contain([$"kuroku-webhook.{ns}.svc", "localhost"]);

        var second = await _cluster.StartOperatorAsync(WithSharedSecret);
        await WebhookClient.WaitUntilReadyAsync(second);

        foreach (var replica in new[] { first, second })
        {
            using var client = new WebhookClient();
            var (code, _) = await client.PostAsync(WebhookClient.WebhookUrl(replica), new JsonObject());
            code.Should().Be(HttpStatusCode.BadRequest);
            client.ServedCertificate!.Thumbprint.Should().Be(leaf.Thumbprint, "every replica serves the certificate in the Secret");
        }

        (await _cluster.Client.CoreV1.ReadNamespacedSecretAsync("kuroku-webhook-tls", ns)).Metadata.ResourceVersion
            .Should().Be(secret.Metadata.ResourceVersion, "the second replica reads the Secret and writes nothing");
    }
}
