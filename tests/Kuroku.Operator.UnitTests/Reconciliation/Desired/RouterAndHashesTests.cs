using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Desired;

public sealed class RouterConfigMapCarriesConfigPageAndFlag
{
    [Theory]
    [InlineData(false, new[] { "maintenance.html", "nginx.conf" })]
    [InlineData(true, new[] { "maintenance", "maintenance.html", "nginx.conf" })]
    public void Flag_key_exists_only_in_maintenance(bool maintenance, string[] keys)
    {
        var configMap = Router.BuildConfigMap(TestApps.Full().With(s => s.Maintenance = maintenance))!;

        configMap.Metadata.Name.Should().Be("shop-router");
        configMap.Data.Keys.Should().Equal(keys);
        configMap.Data["nginx.conf"].Should().Be(Router.ConfigFor(TestApps.Full()));
        configMap.Data["maintenance.html"].Should().Contain("maintenance");
    }

    [Fact]
    public void Container_config_uses_the_container_paths_and_the_static_prefix()
    {
        var conf = Router.ConfigFor(TestApps.Full());

        conf.Should().Contain("if (-f \"/etc/kuroku/router/maintenance\")")
            .And.Contain("location ^~ \"/static/\"")
            .And.Contain("alias \"/kuroku-static/\";")
            .And.Contain("add_header Cache-Control \"public, max-age=3600\";")
            .And.Contain("pid \"/tmp/nginx.pid\";")
            .And.Contain("daemon off;");
    }
}

public sealed class NginxConfigIsAPureFunctionOfItsInput
{
    private static readonly RouterPaths Paths = new("/c", "/s/", "/t", "/m/mime.types", "/l/access.log");

    [Theory]
    [InlineData("/static", "/static/")]
    [InlineData("/static/", "/static/")]
    [InlineData("/assets/v2", "/assets/v2/")]
    public void Static_prefix_always_ends_in_a_slash(string path, string prefix)
    {
        var conf = NginxConfig.Render(new NginxConfigInput(new RouterRouting(8081, 8080, path, 10), Paths));

        conf.Should().Contain($"location ^~ \"{prefix}\" {{").And.Contain("alias \"/s/\";");
    }

    [Fact]
    public void Paths_are_parameters_and_quoted()
    {
        var conf = NginxConfig.Render(new NginxConfigInput(new RouterRouting(9000, 9001, null, 0), new RouterPaths("/c \"x\"", "/s", "/t/", "/m", "/l")));

        conf.Should().Contain("if (-f \"/c \\\"x\\\"/maintenance\")")
            .And.Contain("client_body_temp_path \"/t/client_body_temp\";")
            .And.Contain("listen 9000;")
            .And.Contain("server 127.0.0.1:9001;")
            .And.NotContain("location ^~");
    }

    [Fact]
    public void Same_input_same_text()
    {
        var input = new NginxConfigInput(new RouterRouting(8081, 8080, "/static", 5), Paths);

        NginxConfig.Render(input).Should().Be(NginxConfig.Render(input with { }));
    }
}

public sealed class ReleaseHashCoversImageConfigAndCommands
{
    [Fact]
    public void Absent_and_empty_lists_are_the_same_release()
    {
        var absent = TestApps.Minimal().With(s => { s.Env = null; s.EnvFrom = null; });
        var empty = TestApps.Minimal().With(s => { s.Env = []; s.EnvFrom = []; s.Processes["web"].Args = []; });

        ReleaseHash.Compute(empty.Spec).Should().Be(ReleaseHash.Compute(absent.Spec));
    }

    [Fact]
    public void Env_order_is_part_of_the_release_because_it_changes_variable_expansion()
    {
        var a = TestApps.Full();
        var b = TestApps.Full().With(s => s.Env = s.Env!.Reverse().ToList());

        ReleaseHash.Compute(b.Spec).Should().NotBe(ReleaseHash.Compute(a.Spec));
    }

    [Fact]
    public void Release_phase_sizes_and_health_checks_are_not_part_of_it()
    {
        var changed = TestApps.Full().With(s =>
        {
            s.Release = new ReleasePhaseSpec { Command = ["other"] };
            s.Processes["web"].Size = DynoSizes.PerformanceL;
            s.HealthCheck = null;
            s.ImagePullSecrets = [new V1LocalObjectReference { Name = "other" }];
        });

        ReleaseHash.Compute(changed.Spec).Should().Be(ReleaseHash.Compute(TestApps.Full().Spec));
    }

    [Fact]
    public void Content_hash_is_16_hex_digits_of_sha256()
    {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        ContentHash.Of("abc").Should().Be("ba7816bf8f01cfea");
    }
}

public sealed class VersionLabelComesFromTheImageTag
{
    [Theory]
    [InlineData("registry.example.com/acme/shop:1.4.2", "1.4.2")]
    [InlineData("registry.example.com:5000/acme/shop:v2_rc-1", "v2_rc-1")]
    [InlineData("registry.example.com:5000/acme/shop", null)]
    [InlineData("shop@sha256:abcdef", null)]
    [InlineData("shop:1.0@sha256:abcdef", "1.0")]
    [InlineData("shop:-weird.", "weird")]
    [InlineData("shop", null)]
    [InlineData("", null)]
    public void Tag_is_sanitized_to_a_label_value(string image, string? version)
    {
        ChildLabels.VersionOf(image).Should().Be(version);
    }

    [Fact]
    public void Long_tags_are_cut_to_63_characters_ending_alphanumeric()
    {
        var version = ChildLabels.VersionOf("shop:" + new string('a', 62) + "-bbbb");

        version.Should().Be(new string('a', 62));
    }

    [Fact]
    public void Untagged_images_get_no_version_label()
    {
        var app = TestApps.Minimal().With(s => s.Image = "ghcr.io/acme/hello@sha256:0123");

        ChildLabels.For(app, "web").Should().NotContainKey(ChildLabels.Version);
    }
}
