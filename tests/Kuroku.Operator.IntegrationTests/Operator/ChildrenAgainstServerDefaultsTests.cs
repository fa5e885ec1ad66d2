using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Runtime.Informers;
using Kuroku.Testing.ApiServer.Defaults;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>
/// Every child Kuroku builds, as kube-apiserver stores it (its defaults for the kind applied, server
/// bookkeeping added), is already what Kuroku wants: the reconciler finds nothing to write, so it never
/// fights a default (a Deployment's strategy, a pod's dnsPolicy, a Service's sessionAffinity...). And the
/// operator's cache, which keeps a trimmed copy, compares exactly as the full object does.
/// </summary>
public sealed class ChildrenAgainstServerDefaultsTests
{
    private static readonly Dictionary<string, string> StorageKeys = new(StringComparer.Ordinal)
    {
        ["Deployment"] = "apps/deployments",
        ["Service"] = "/services",
        ["Ingress"] = "networking.k8s.io/ingresses",
        ["ConfigMap"] = "/configmaps",
        ["HorizontalPodAutoscaler"] = "autoscaling/horizontalpodautoscalers",
        ["PodDisruptionBudget"] = "policy/poddisruptionbudgets",
        ["CronJob"] = "batch/cronjobs",
    };

    private static readonly string[] AppNames = ["minimal.yaml", "webapp.yaml", "webapp.yaml+pdb"];

    public static TheoryData<string> Apps => [.. AppNames];

    [Theory]
    [MemberData(nameof(Apps))]
    public void Each_child_with_the_servers_defaults_applied_finds_nothing_to_write(string app)
    {
        foreach (var (desired, live) in Children(app))
        {
            ChildComparer.Differences(desired, live).Should().BeEmpty($"{desired.Kind} {desired.Metadata.Name} as the server stores it is what Kuroku wants");
        }
    }

    [Fact]
    public void The_children_cover_every_kind_the_operator_compares()
    {
        var kinds = AppNames.SelectMany(Children).Select(c => c.Desired.Kind).ToHashSet();

        // A release-phase Job is created once and never compared (a Job's template is immutable): no owned fields.
        kinds.Should().BeEquivalentTo(OwnedKinds.All.Where(k => k.Fields.Count > 0).Select(k => k.Kind));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void A_trimmed_cached_child_compares_as_the_full_one(string app)
    {
        foreach (var (desired, live) in Children(app))
        {
            var kind = OwnedKinds.Of(desired.Kind);
            var trimmed = Trimmed(kind, live);
            ChildComparer.Differences(desired, trimmed).Should().BeEmpty($"{desired.Kind} {desired.Metadata.Name}, trimmed");

            // And a changed child is seen as changed in the trimmed copy too, at the same paths.
            var changed = Reread(live, node => Change(node));
            ChildComparer.Differences(desired, Trimmed(kind, changed)).Should()
                .Equal(ChildComparer.Differences(desired, changed), $"{desired.Kind} {desired.Metadata.Name}, changed then trimmed");
            ChildComparer.Differences(desired, changed).Should().NotBeEmpty($"{desired.Kind} {desired.Metadata.Name} was changed");
        }
    }

    private static IEnumerable<(IKubernetesObject<V1ObjectMeta> Desired, IKubernetesObject<V1ObjectMeta> Live)> Children(string app)
    {
        var webApp = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", app.Split('+')[0])));
        webApp.Metadata.NamespaceProperty ??= "default";
        webApp.Metadata.Uid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
        if (app.EndsWith("+pdb", StringComparison.Ordinal))
        {
            foreach (var process in webApp.Spec.Processes.Values)
            {
                process.Autoscaling = null;
                process.Replicas = 3;
            }
        }

        foreach (var desired in DesiredState.Build(webApp, new OperatorOptions { DefaultDomain = "apps.example.com" }, "0123456789abcdef"))
        {
            yield return (desired, Reread(desired, node => AsStored(desired.Kind, node)));
        }
    }

    private static void AsStored(string kind, JsonObject node)
    {
        BuiltInDefaults.Apply(StorageKeys[kind], node);
        var meta = node["metadata"]!.AsObject();
        meta["uid"] = "7d9e1f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
        meta["resourceVersion"] = "4242";
        meta["generation"] = 1;
        meta["creationTimestamp"] = "2026-01-01T00:00:00Z";
        meta["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kuroku", ["operation"] = "Update", ["fieldsType"] = "FieldsV1", ["fieldsV1"] = new JsonObject() });
        if (kind == "Service" && node["spec"] is JsonObject spec)
        {
            spec["clusterIP"] = "10.96.0.17";
            spec["clusterIPs"] = new JsonArray("10.96.0.17");
        }
    }

    private static void Change(JsonObject node)
    {
        var meta = node["metadata"]!.AsObject();
        meta["labels"]!.AsObject()["app.kubernetes.io/managed-by"] = "someone-else";
        if (node["data"] is JsonObject data)
        {
            data["added"] = "by hand";
        }
    }

    private static IKubernetesObject<V1ObjectMeta> Trimmed(OwnedKind kind, IKubernetesObject<V1ObjectMeta> live) =>
        Reread(live, node => { _ = node; }, kind.Trim);

    private static IKubernetesObject<V1ObjectMeta> Reread(IKubernetesObject<V1ObjectMeta> obj, Action<JsonObject> change, Func<JsonObject, JsonObject>? transform = null)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        change(node);
        if (transform is not null)
        {
            node = transform(node);
        }

        return (IKubernetesObject<V1ObjectMeta>)node.Deserialize(obj.GetType(), CacheJson.SerializerOptions)!;
    }
}
