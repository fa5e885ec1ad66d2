namespace Kuroku.Operator.IntegrationTests.Tools;

public sealed class SchemaCheckTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: two
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: nginx, imagePullPolicy: Sometimes}
        """;

    /// <summary>An input, the verdict on its one object, and the error paths expected.</summary>
    public static TheoryData<string, ObjectCheckStatus, string[]> Cases => new()
    {
        { "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}", ObjectCheckStatus.Valid, [] },
        { Deployment, ObjectCheckStatus.Invalid, ["/spec/replicas", "/spec/template/spec/containers/0/imagePullPolicy"] },
        { "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b.dev}\nspec: {group: b.dev, names: {kind: A, plural: as}, scope: Namespaced}",
            ObjectCheckStatus.Invalid, ["/spec"] },
        { "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web}", ObjectCheckStatus.Invalid, ["/kind"] },
        { "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: x}", ObjectCheckStatus.Invalid, ["/metadata/name"] },
        { "apiVersion: kuroku.dev/v1alpha1\nkind: WebApp\nmetadata: {name: shop}\nspec: {image: 42}", ObjectCheckStatus.Skipped, [] },
        { "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}", ObjectCheckStatus.Skipped, [] },
        { """{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}""", ObjectCheckStatus.Valid, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_object_is_judged_against_the_schema_of_its_kind(string yaml, ObjectCheckStatus status, string[] paths)
    {
        var result = await SchemaCheck.ValidateAsync(yaml);

        var check = result.Objects.Should().ContainSingle().Subject;
        check.Status.Should().Be(status, result.Describe());
        check.Errors.Select(e => e.Path).Distinct().Should().BeEquivalentTo(paths);
        check.Errors.Should().OnlyContain(e => e.Message.Length > 0);
        result.IsValid.Should().Be(status != ObjectCheckStatus.Invalid);
    }

    [Fact]
    public async Task Every_document_of_a_stream_is_checked_and_empty_documents_are_ignored()
    {
        var yaml = "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\n# nothing\n---\n"
            + Deployment + "\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n";

        var result = await SchemaCheck.ValidateAsync(yaml);

        result.Objects.Select(o => (o.Kind, o.Status)).Should().Equal(
            ("ServiceAccount", ObjectCheckStatus.Valid),
            ("Deployment", ObjectCheckStatus.Invalid),
            ("ServiceAccount", ObjectCheckStatus.Invalid));
        result.Invalid[1].Errors.Should().ContainSingle().Which.Message.Should().Contain("duplicate");
        result.Describe().Should().Contain("/spec/replicas").And.Contain("Deployment web");
    }

    [Fact]
    public async Task Input_that_is_not_YAML_is_an_error_not_a_verdict()
    {
        var check = () => SchemaCheck.ValidateAsync("a: [\n");

        (await check.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*not valid YAML*");
    }
}
