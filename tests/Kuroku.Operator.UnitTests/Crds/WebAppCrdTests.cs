using System.Reflection;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Cli;
using Kuroku.Operator.Crds;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Crds;

public sealed class WebAppCrdTests
{
    private static readonly V1CustomResourceDefinition Crd = WebAppCrd.Build();
    private static readonly V1CustomResourceDefinitionVersion Version = Crd.Spec.Versions.Single();
    private static readonly V1JSONSchemaProps Root = Version.Schema.OpenAPIV3Schema;

    private static V1JSONSchemaProps At(string path)
    {
        var schema = Root;
        foreach (var part in path.Split('.'))
        {
            schema = part switch
            {
                "[]" => StructuralSchema.ItemsOf(schema)!,
                "*" => StructuralSchema.AdditionalPropertiesOf(schema)!,
                _ => schema.Properties[part],
            };
        }

        return schema;
    }

    [Fact]
    public void The_committed_CRD_is_what_the_crds_command_prints()
    {
        var path = RepositoryPaths.Of("crds", "webapps.kuroku.dev.yaml");
        var generated = CrdsCommand.Render();
        if (RepositoryPaths.UpdateGolden)
        {
            File.WriteAllText(path, generated);
        }

        File.ReadAllText(path).Should().Be(generated,
            "crds/webapps.kuroku.dev.yaml must match the API types; regenerate it with "
            + "`dotnet run --project operator -- crds > crds/webapps.kuroku.dev.yaml` (or KUROKU_UPDATE_GOLDEN=1 dotnet test)");
    }

    [Fact]
    public void Generation_is_deterministic() =>
        CrdsCommand.Render().Should().Be(CrdsCommand.Render());

    [Fact]
    public void Names_scope_and_version_are_those_of_the_design()
    {
        Crd.Metadata.Name.Should().Be("webapps.kuroku.dev");
        Crd.Spec.Group.Should().Be("kuroku.dev");
        Crd.Spec.Scope.Should().Be("Namespaced");
        Crd.Spec.Names.Should().BeEquivalentTo(new V1CustomResourceDefinitionNames
        {
            Plural = "webapps", Singular = "webapp", Kind = "WebApp", ListKind = "WebAppList",
            ShortNames = ["wa"], Categories = ["kuroku"],
        });
        Version.Name.Should().Be("v1alpha1");
        Version.Served.Should().BeTrue();
        Version.Storage.Should().BeTrue();
    }

    [Fact]
    public void Status_and_scale_subresources_bind_the_web_process()
    {
        Version.Subresources.Status.Should().NotBeNull();
        Version.Subresources.Scale.Should().BeEquivalentTo(new V1CustomResourceSubresourceScale
        {
            SpecReplicasPath = ".spec.processes.web.replicas",
            StatusReplicasPath = ".status.processes.web.replicas",
            LabelSelectorPath = ".status.selector",
        });
    }

    [Fact]
    public void Printer_columns_show_release_processes_url_ready_and_age()
    {
        Version.AdditionalPrinterColumns.Select(c => (c.Name, c.Type, c.JsonPath)).Should().Equal(
            ("Release", "integer", ".status.release"),
            ("Processes", "string", ".status.processSummary"),
            ("URL", "string", ".status.url"),
            ("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            ("Age", "date", ".metadata.creationTimestamp"));
    }

    [Fact]
    public void Metadata_is_an_object_only_and_spec_is_required()
    {
        At("metadata").Should().BeEquivalentTo(new V1JSONSchemaProps { Type = "object" });
        Root.Required.Should().Equal("spec");
        At("spec").Required.Should().Equal("image", "processes");
    }

    [Theory]
    [InlineData("spec.env.[]", new[] { "name" })]
    [InlineData("spec.env.[].valueFrom.secretKeyRef", new[] { "key" })]
    [InlineData("spec.env.[].valueFrom.configMapKeyRef", new[] { "key" })]
    [InlineData("spec.env.[].valueFrom.fieldRef", new[] { "fieldPath" })]
    [InlineData("status.conditions.[]", new[] { "lastTransitionTime", "message", "reason", "status", "type" })]
    [InlineData("spec.processes.*.autoscaling", new[] { "maxReplicas" })]
    public void Required_fields_of_embedded_and_own_types_are_listed(string path, string[] required) =>
        At(path).Required.Should().Equal(required);

    [Theory]
    [InlineData("spec.imagePullSecrets.[]")]
    [InlineData("spec.envFrom.[]")]
    [InlineData("spec.processes.*.resources")]
    public void Embedded_types_without_required_fields_list_none(string path) =>
        At(path).Required.Should().BeNull();

    [Fact]
    public void Descriptions_come_from_the_xml_docs_of_ours_and_of_KubernetesClient()
    {
        At("spec.image").Description.Should().StartWith("The container image holding the code of the release");
        At("spec.env.[]").Description.Should().Be("EnvVar represents an environment variable present in a Container.");
        At("spec.env.[].name").Description.Should().StartWith("Name of the environment variable.");
        At("spec.domains.tls.clusterIssuer").Description.Should().Contain("<app>-tls");
    }

    [Fact]
    public void Lists_carry_their_list_types()
    {
        At("spec.env").XKubernetesListType.Should().Be("map");
        At("spec.env").XKubernetesListMapKeys.Should().Equal("name");
        At("status.conditions").XKubernetesListMapKeys.Should().Equal("type");
        At("spec.domains.hosts").XKubernetesListType.Should().Be("set");
    }

    [Fact]
    public void Resource_quantities_are_int_or_string()
    {
        At("spec.processes.*.resources.limits.*").XKubernetesIntOrString.Should().BeTrue();
        At("status.conditions.[].lastTransitionTime").Format.Should().Be("date-time");
    }

    [Fact]
    public void CEL_rules_are_on_the_objects_they_constrain()
    {
        At("spec.processes").XKubernetesValidations.Should().BeNullOrEmpty(
            "a regex over map keys (unbounded strings) exceeds the API server's CEL cost budget; the validator checks process names");
        At("spec.domains.tls").XKubernetesValidations.Should().ContainSingle().Which.Message.Should().Contain("exactly one");
        At("spec.processes.*.autoscaling").XKubernetesValidations.Should().ContainSingle().Which.FieldPath.Should().Be(".minReplicas");
        At("spec").XKubernetesValidations.Select(v => v.FieldPath).Should().Equal(".domains", ".static", ".processes");
        At("spec.processes.*").XKubernetesValidations.Select(v => v.FieldPath).Should().Equal(".timeZone", ".autoscaling", ".replicas");
        At("spec.processes.*.schedule").XKubernetesValidations.Should().HaveCount(2, "no TZ= prefix, and the shape of a cron schedule");
        At("spec.processes.*.timeZone").XKubernetesValidations.Should().ContainSingle();
    }

    // Defaults (used offline) and the schema defaults (used by the API server) must agree.
    public static TheoryData<string, object> SchemaDefaults => new()
    {
        { "spec.port", Defaults.Port },
        { "spec.processes.*.replicas", Defaults.Replicas },
        { "spec.processes.*.size", Defaults.Size },
        { "spec.processes.*.autoscaling.minReplicas", Defaults.AutoscalingMinReplicas },
        { "spec.processes.*.autoscaling.targetCPUUtilizationPercentage", Defaults.TargetCpuUtilizationPercentage },
        { "spec.release.timeoutSeconds", Defaults.ReleaseTimeoutSeconds },
        { "spec.release.backoffLimit", Defaults.ReleaseBackoffLimit },
        { "spec.healthCheck.bootTimeoutSeconds", Defaults.BootTimeoutSeconds },
        { "spec.static.maxAgeSeconds", Defaults.StaticMaxAgeSeconds },
        { "spec.maintenance", false },
    };

    [Theory]
    [MemberData(nameof(SchemaDefaults))]
    public void Defaults_constants_equal_the_schema_defaults(string path, object expected)
    {
        var actual = StructuralSchema.DefaultOf(At(path));

        JsonNode.DeepEquals(actual, JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(expected)))
            .Should().BeTrue($"{path} defaults to {actual?.ToJsonString()} in the schema and to {expected} in Defaults");
    }

    [Fact]
    public void Every_Defaults_constant_is_pinned_to_a_schema_default()
    {
        var constants = typeof(Defaults).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetValue(null)).ToList();

        constants.Should().HaveCount(SchemaDefaults.Count - 1, "each constant of Defaults has a row in SchemaDefaults");
    }
}
