using System.Text.Json.Nodes;
using k8s.Models;
using Kuroku.Operator.Crds;

namespace Kuroku.Operator.UnitTests.Crds;

public sealed class StructuralSchemaTests
{
    private static readonly V1JSONSchemaProps Schema = WebAppCrd.Schema(new SchemaGenerator(_ => null));

    private static JsonObject App(string spec) =>
        JsonNode.Parse($$"""{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"a"},"spec":{{spec}}}""")!.AsObject();

    [Fact]
    public void Unknown_fields_are_found_with_their_paths_at_every_depth()
    {
        var app = App("""
            {"image":"i","imag":"x","processes":{"web":{"replica":2,"autoscaling":{"maxReplicas":3,"max":1}}},
             "env":[{"name":"A","valu":"b"}],"domains":{"hosts":["a.b"],"tls":{"issuer":"x"}}}
            """);
        app["extra"] = 1;

        StructuralSchema.UnknownFields(app, Schema).Should().Equal(
            "spec.imag",
            "spec.processes.web.replica",
            "spec.processes.web.autoscaling.max",
            "spec.env[0].valu",
            "spec.domains.tls.issuer",
            "extra");
    }

    [Fact]
    public void Known_fields_and_free_form_maps_are_not_unknown()
    {
        var app = App("""
            {"image":"i","processes":{"web":{"resources":{"limits":{"cpu":"1","example.com/gpu":1}}}},
             "env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}
            """);

        StructuralSchema.UnknownFields(app, Schema).Should().BeEmpty();
    }

    [Fact]
    public void Defaults_fill_absent_fields_at_every_depth_including_map_values()
    {
        var app = App("""{"image":"i","processes":{"web":{},"worker":{"replicas":0,"autoscaling":{"maxReplicas":4}}},"static":{"path":"/s","from":"/f"}}""");

        StructuralSchema.ApplyDefaults(app, Schema);

        var spec = app["spec"]!;
        spec["port"]!.GetValue<long>().Should().Be(8080);
        spec["maintenance"]!.GetValue<bool>().Should().BeFalse();
        spec["processes"]!["web"]!["replicas"]!.GetValue<long>().Should().Be(1);
        spec["processes"]!["web"]!["size"]!.GetValue<string>().Should().Be("standard-1x");
        spec["processes"]!["worker"]!["replicas"]!.GetValue<int>().Should().Be(0, "a given value is kept");
        spec["processes"]!["worker"]!["autoscaling"]!["minReplicas"]!.GetValue<long>().Should().Be(1);
        spec["processes"]!["worker"]!["autoscaling"]!["targetCPUUtilizationPercentage"]!.GetValue<long>().Should().Be(80);
        spec["static"]!["maxAgeSeconds"]!.GetValue<long>().Should().Be(3600);
        spec.AsObject().ContainsKey("release").Should().BeFalse("absent objects without a default stay absent");
        spec.AsObject().ContainsKey("healthCheck").Should().BeFalse();
    }

    [Fact]
    public void A_null_field_is_dropped_and_then_defaulted()
    {
        var app = App("""{"image":"i","port":null,"domains":null,"processes":{"web":{}}}""");

        StructuralSchema.ApplyDefaults(app, Schema);

        app["spec"]!["port"]!.GetValue<long>().Should().Be(8080);
        app["spec"]!.AsObject().ContainsKey("domains").Should().BeFalse();
    }

    [Fact]
    public void Defaulting_twice_changes_nothing_more()
    {
        var once = App("""{"image":"i","processes":{"web":{}}}""");
        StructuralSchema.ApplyDefaults(once, Schema);
        var twice = once.DeepClone();
        StructuralSchema.ApplyDefaults(twice, Schema);

        JsonNode.DeepEquals(once, twice).Should().BeTrue();
    }

    public static TheoryData<string, string, string> Invalid => new()
    {
        { """{"image":"i","port":"80","processes":{"web":{}}}""", "spec.port", "Invalid value: \"string\": must be of type integer" },
        { """{"image":"i","port":1.5,"processes":{"web":{}}}""", "spec.port", "Invalid value: \"number\": must be of type integer" },
        { """{"image":"i","maintenance":"yes","processes":{"web":{}}}""", "spec.maintenance", "Invalid value: \"string\": must be of type boolean" },
        { """{"image":7,"processes":{"web":{}}}""", "spec.image", "Invalid value: \"number\": must be of type string" },
        { """{"image":"i","processes":[]}""", "spec.processes", "Invalid value: \"array\": must be of type object" },
        { """{"image":"i","processes":{"web":{"command":"run"}}}""", "spec.processes.web.command", "Invalid value: \"string\": must be of type array" },
        { """{"image":"i","processes":{"web":{}},"env":[{"value":"x"}]}""", "spec.env[0].name", "Required value" },
        { """{"processes":{"web":{}}}""", "spec.image", "Required value" },
        { """{"image":"i","port":0,"processes":{"web":{}}}""", "spec.port", "Invalid value: 0: must be greater than or equal to 1" },
        { """{"image":"i","port":70000,"processes":{"web":{}}}""", "spec.port", "Invalid value: 70000: must be less than or equal to 65535" },
        { """{"image":"i","port":4294967297,"processes":{"web":{}}}""", "spec.port", "Invalid value: 4294967297: must fit in a 32-bit integer" },
        { """{"image":"","processes":{"web":{}}}""", "spec.image", "Invalid value: \"\": must be at least 1 characters long" },
        { """{"image":"i","processes":{}}""", "spec.processes", "Invalid value: 0: must have at least 1 entries" },
        { """{"image":"i","processes":{"web":{"size":"huge"}}}""", "spec.processes.web.size", "Unsupported value: \"huge\": supported values: \"eco\", \"basic\", \"standard-1x\", \"standard-2x\", \"performance-m\", \"performance-l\"" },
        { """{"image":"i","processes":{"web":{}},"static":{"path":"/","from":"/f"}}""", "spec.static.path", "Invalid value: \"/\": must match the pattern \"^/.+\"" },
        { """{"image":"i","processes":{"web":{}},"env":[{"name":"A"},{"name":"A"}]}""", "spec.env[1]", "Duplicate value: {\"name\":\"A\"}" },
        { """{"image":"i","processes":{"web":{}},"domains":{"hosts":["a.b","a.b"]}}""", "spec.domains.hosts[1]", "Duplicate value: \"a.b\"" },
        { """{"image":"i","processes":{"web":{"resources":{"limits":{"cpu":true}}}}}""", "spec.processes.web.resources.limits.cpu", "Invalid value: \"boolean\": must be of type integer or string" },
        { """{"image":"i","processes":{"web":{"resources":{"limits":{"memory":"2 gigs"}}}}}""", "spec.processes.web.resources.limits.memory", "Invalid value: \"2 gigs\": must match the pattern*" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validation_names_the_path_and_the_rule(string spec, string path, string message)
    {
        var app = App(spec);
        StructuralSchema.ApplyDefaults(app, Schema);

        var errors = StructuralSchema.Validate(app, Schema);

        errors.Should().ContainSingle().Which.Should().Match<SchemaError>(e => e.Path == path);
        errors.Single().Message.Should().Match(message);
    }

    [Fact]
    public void A_valid_defaulted_app_has_no_errors()
    {
        var app = App("""
            {"image":"i","processes":{"web":{"replicas":1.0,"resources":{"limits":{"cpu":"500m","memory":1024}}}},
             "env":[{"name":"A","value":"1"},{"name":"B"}],"domains":{"hosts":["a.example.com","*.example.com"],"tls":{"secretName":"t"}}}
            """);
        StructuralSchema.ApplyDefaults(app, Schema);

        StructuralSchema.Validate(app, Schema).Should().BeEmpty();
    }
}
