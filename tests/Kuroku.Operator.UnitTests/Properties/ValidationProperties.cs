using System.Text.Json.Nodes;
using CsCheck;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Crds;
using Kuroku.Operator.Reconciliation.Status;
using k8s;

namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>
/// The WebApp validator on anything that deserializes (nulls everywhere, empty maps and lists, huge
/// values), and the in-cluster path: a WebApp the CRD's schema lets through but the validator refuses
/// is refused with the field's path and gets Ready=False/InvalidSpec, without an exception.
/// </summary>
public sealed class ValidationProperties
{
    private static readonly WebAppValidator Validator = new();
    private static readonly k8s.Models.V1JSONSchemaProps CrdSchema = WebAppCrd.Schema(new SchemaGenerator());

    // Every field of the spec at least once, so that mutations reach every validator.
    private const string KitchenSink = """
        {"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"shop","namespace":"shop","labels":{"a":"b"}},
         "spec":{"image":"registry.example.com/acme/shop:1.4.2","imagePullSecrets":[{"name":"regcred"}],"port":8080,
          "processes":{"web":{"command":["gunicorn"],"args":["--bind","0.0.0.0:$(PORT)"],"replicas":2,"size":"standard-1x",
            "resources":{"limits":{"cpu":"2","memory":"1Gi","example.com/gpu":"1"},"requests":{"cpu":"500m","memory":"512Mi"},"claims":[]},
            "autoscaling":{"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":70}},
           "worker":{"command":["celery"],"replicas":1,"size":"standard-2x"}},
          "release":{"command":["python","manage.py","migrate"],"timeoutSeconds":3600,"backoffLimit":1},
          "env":[{"name":"A","value":"1"},{"name":"DB","valueFrom":{"secretKeyRef":{"name":"db","key":"url"}}},
           {"name":"CM","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k","optional":true}}},
           {"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']","apiVersion":"v1"}}},
           {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}}],
          "envFrom":[{"secretRef":{"name":"s"}},{"configMapRef":{"name":"c"},"prefix":"P_"}],
          "healthCheck":{"path":"/healthz","bootTimeoutSeconds":60},
          "domains":{"hosts":["shop.example.com","*.shop.example.com"],"ingressClassName":"nginx","tls":{"clusterIssuer":"letsencrypt"}},
          "static":{"path":"/static","from":"/app/staticfiles","maxAgeSeconds":3600},"maintenance":false}}
        """;

    private static readonly JsonNode?[] Replacements =
    [
        null, new JsonObject(), new JsonArray(), new JsonArray((JsonNode?)null), new JsonObject { ["x"] = null },
        "", new string('a', 10_000), "1e400", int.MaxValue, int.MinValue, long.MaxValue, -1, 0, true, "  ", "\0",
    ];

    private static readonly Gen<JsonObject> Base = Gen.Frequency(
        (1, Gen.Const(() => JsonNode.Parse(KitchenSink)!.AsObject())),
        (2, Generators.WebApp));

    /// <summary>A WebApp JSON with some nodes (leaves or containers) replaced by nulls, empties, huge or odd values.</summary>
    private static readonly Gen<JsonObject> Battered =
        from app in Base
        from picks in Gen.Select(Gen.Int[0, 10_000], Gen.Int[0, Replacements.Length - 1]).Array[1, 6]
        select Batter(app, picks);

    private static JsonObject Batter(JsonObject app, (int Node, int Replacement)[] picks)
    {
        foreach (var (node, replacement) in picks)
        {
            var all = Nodes(app).ToList();
            var (parent, key) = all[node % all.Count];
            var value = Replacements[replacement]?.DeepClone();
            if (parent is JsonObject obj)
            {
                obj[(string)key] = value;
            }
            else
            {
                parent.AsArray()[(int)key] = value;
            }
        }

        return app;
    }

    // Every (parent, key) below the root, containers included.
    private static IEnumerable<(JsonNode Parent, object Key)> Nodes(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    yield return (obj, key);
                    if (child is not null)
                    {
                        foreach (var inner in Nodes(child))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, i);
                    if (array[i] is { } child)
                    {
                        foreach (var inner in Nodes(child))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    private static WebApp? TryDeserialize(JsonObject json)
    {
        try
        {
            return KubernetesJson.Deserialize<WebApp>(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    [Fact]
    public void The_validator_never_throws_and_names_a_field_of_the_webapp_in_every_failure() =>
        Battered.Sample(json =>
        {
            if (TryDeserialize(json) is not { } app)
            {
                return;
            }

            var result = Validator.Validate(app);

            result.Errors.Should().OnlyContain(e => e.PropertyName.StartsWith("metadata.", StringComparison.Ordinal)
                || e.PropertyName == "spec" || e.PropertyName.StartsWith("spec.", StringComparison.Ordinal));
            result.Errors.Should().OnlyContain(e => !string.IsNullOrEmpty(e.ErrorMessage) && !string.IsNullOrEmpty(e.ErrorCode));
        }, iter: Runs.Of(200), print: json => json.ToJsonString());

    /// <summary>A break that the CRD's schema (and its CEL rules) lets through and the validator refuses; Apply returns the path it breaks.</summary>
    private sealed record Break(string Name, Func<JsonObject, string> Apply)
    {
        public override string ToString() => Name;
    }

    private static JsonObject Spec(JsonObject app) => app["spec"]!.AsObject();

    private static JsonObject Web(JsonObject app) =>
        (Spec(app)["processes"]!.AsObject()["web"] ??= new JsonObject()).AsObject();

    private static string AddEnv(JsonObject app, JsonObject env, string field)
    {
        var list = (Spec(app)["env"] ??= new JsonArray()).AsArray();
        list.Add(env);
        return $"spec.env[{list.Count - 1}]{field}";
    }

    private static readonly Break[] Breaks =
    [
        new("name with a dot", a => { a["metadata"]!["name"] = "a.b"; return "metadata.name"; }),
        new("upper-case image", a => { Spec(a)["image"] = "Registry/Shop:1"; return "spec.image"; }),
        new("process name", a => { Spec(a)["processes"]!["Web_1"] = new JsonObject(); return "spec.processes.Web_1"; }),
        new("env PORT", a => AddEnv(a, new JsonObject { ["name"] = "PORT", ["value"] = "1" }, ".name")),
        new("two sources", a => AddEnv(a, new JsonObject
        {
            ["name"] = "TWO_SOURCES",
            ["valueFrom"] = new JsonObject
            {
                ["secretKeyRef"] = new JsonObject { ["name"] = "s", ["key"] = "k" },
                ["configMapKeyRef"] = new JsonObject { ["name"] = "c", ["key"] = "k" },
            },
        }, ".valueFrom")),
        new("field path", a => AddEnv(a, new JsonObject
        {
            ["name"] = "FIELD",
            ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "spec.bogus" } },
        }, ".valueFrom.fieldRef.fieldPath")),
        new("envFrom both", a =>
        {
            Spec(a)["envFrom"] = new JsonArray(new JsonObject
            {
                ["secretRef"] = new JsonObject { ["name"] = "s" },
                ["configMapRef"] = new JsonObject { ["name"] = "c" },
            });
            return "spec.envFrom[0]";
        }),
        new("pull secret", a => { Spec(a)["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "Bad_Name" }); return "spec.imagePullSecrets[0].name"; }),
        new("request above limit", a =>
        {
            Web(a)["resources"] = new JsonObject
            {
                ["limits"] = new JsonObject { ["cpu"] = "1" },
                ["requests"] = new JsonObject { ["cpu"] = "2" },
            };
            return "spec.processes.web.resources.requests.cpu";
        }),
        new("empty command", a => { Web(a)["command"] = new JsonArray(""); return "spec.processes.web.command[0]"; }),
        new("health path", a => { Spec(a)["healthCheck"] = new JsonObject { ["path"] = "/a b" }; return "spec.healthCheck.path"; }),
        new("IP host", a =>
        {
            Web(a);
            Spec(a)["domains"] = new JsonObject { ["hosts"] = new JsonArray("10.0.0.1") };
            return "spec.domains.hosts[0]";
        }),
        new("static path", a =>
        {
            Web(a);
            Spec(a)["static"] = new JsonObject { ["path"] = "/a b", ["from"] = "/app" };
            return "spec.static.path";
        }),
    ];

    [Fact]
    public void A_webapp_the_schema_admits_and_the_validator_refuses_is_ready_false_invalid_spec_naming_each_field() =>
        Gen.Select(Generators.WebApp, Gen.Shuffle(Breaks, 1, 4)).Sample(t =>
        {
            var (app, breaks) = t;
            var paths = breaks.Select(b => b.Apply(app)).ToList();

            StructuralSchema.Validate(app, CrdSchema).Should().BeEmpty("the break is one the CRD's schema lets through");
            var webApp = KubernetesJson.Deserialize<WebApp>(app);

            var errors = Validator.Validate(webApp).ToFieldErrors();
            var status = StatusBuilder.Build(webApp, new OperatorOptions(), new Observation(errors, new Dictionary<string, k8s.Models.V1Deployment>(), [], null), DateTime.UnixEpoch);

            foreach (var path in paths)
            {
                errors.Should().Contain(e => e.StartsWith(path + ": ", StringComparison.Ordinal), $"{path} is broken");
            }

            var ready = status.Conditions!.Single(c => c.Type == Conditions.Ready);
            ready.Status.Should().Be("False");
            ready.Reason.Should().Be(Conditions.Reasons.InvalidSpec);
            ready.Message.Should().Be(string.Join("; ", errors));
        }, iter: Runs.Of(40), print: t => $"{string.Join(", ", t.Item2.Select(b => b.Name))} on {t.Item1.ToJsonString()}");
}
