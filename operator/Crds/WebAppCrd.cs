using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Operator.Crds;

/// <summary>The CustomResourceDefinition of WebApp, generated from the C# types of Api/V1Alpha1.</summary>
public static class WebAppCrd
{
    /// <summary>The CRD, with the structural schema of WebApp, its subresources and printer columns.</summary>
    public static V1CustomResourceDefinition Build() => Build(new SchemaGenerator());

    /// <summary>The CRD, with schemas (and descriptions) from the given generator.</summary>
    public static V1CustomResourceDefinition Build(SchemaGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = WebAppApi.CrdName },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = WebAppApi.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Plural = WebAppApi.Plural,
                    Singular = WebAppApi.Singular,
                    Kind = WebAppApi.Kind,
                    ListKind = WebAppApi.ListKind,
                    ShortNames = [WebAppApi.ShortName],
                    Categories = [WebAppApi.Category],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = WebAppApi.Version,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = Schema(generator) },
                        Subresources = new V1CustomResourceSubresources
                        {
                            Status = new Dictionary<string, object>(),
                            Scale = new V1CustomResourceSubresourceScale
                            {
                                SpecReplicasPath = ".spec.processes." + WebAppApi.WebProcess + ".replicas",
                                StatusReplicasPath = ".status.processes." + WebAppApi.WebProcess + ".replicas",
                                LabelSelectorPath = ".status.selector",
                            },
                        },
                        AdditionalPrinterColumns =
                        [
                            Column("Release", "integer", ".status.release", "The number of the live release."),
                            Column("Processes", "string", ".status.processSummary", "Ready/desired replicas per process, and the schedule of each scheduled process."),
                            Column("URL", "string", ".status.url", "Where the app answers."),
                            Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether every process is ready."),
                            Column("Age", "date", ".metadata.creationTimestamp", null),
                        ],
                    },
                ],
            },
        };
    }

    /// <summary>
    /// The structural schema of a WebApp object. metadata is <c>type: object</c> only: the API server
    /// validates ObjectMeta itself.
    /// </summary>
    public static V1JSONSchemaProps Schema(SchemaGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var schema = generator.SchemaFor(typeof(WebApp));
        schema.Properties["metadata"] = new V1JSONSchemaProps { Type = "object" };
        return schema;
    }

    private static V1CustomResourceColumnDefinition Column(string name, string type, string jsonPath, string? description) =>
        new() { Name = name, Type = type, JsonPath = jsonPath, Description = description };
}
