using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Desired;

public sealed class DeploymentBuilderRunsEachProcess
{
    private static V1Deployment Build(WebApp app, string process = "web") =>
        DeploymentBuilder.Build(app, process, app.Spec.Processes[process], TestApps.Options);

    private static V1Container AppContainer(V1Deployment d) => d.Spec.Template.Spec.Containers[0];

    [Fact]
    public void Names_selector_and_pod_labels_follow_the_app_and_process()
    {
        var d = Build(TestApps.Full(), "worker");

        d.Metadata.Name.Should().Be("shop-worker");
        d.Spec.Selector.MatchLabels.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "shop",
            ["app.kubernetes.io/instance"] = "shop",
            ["app.kubernetes.io/component"] = "worker",
        });
        d.Spec.Template.Metadata.Labels.Should().Contain(d.Spec.Selector.MatchLabels);
        d.Spec.Template.Metadata.Labels["app.kubernetes.io/version"].Should().Be("1.4.2");
        AppContainer(d).Name.Should().Be("worker");
        AppContainer(d).Image.Should().Be("registry.example.com/acme/shop:1.4.2");
        AppContainer(d).Command.Should().Equal("celery", "-A", "shop", "worker");
        d.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/default-container"].Should().Be("worker");
    }

    [Theory]
    [InlineData(null, false, 1)]
    [InlineData(0, false, 0)]
    [InlineData(3, false, 3)]
    [InlineData(3, true, null)]
    public void Replicas_come_from_the_spec_unless_the_process_autoscales(int? replicas, bool autoscales, int? expected)
    {
        var app = TestApps.Minimal().With(s =>
        {
            s.Processes["web"].Replicas = replicas;
            s.Processes["web"].Autoscaling = autoscales ? new AutoscalingSpec { MaxReplicas = 5 } : null;
        });

        Build(app).Spec.Replicas.Should().Be(expected);
    }

    [Fact]
    public void Env_starts_with_port_and_web_concurrency_then_the_config_vars_in_order()
    {
        var d = Build(TestApps.Full());

        AppContainer(d).Env.Select(e => e.Name).Should().Equal("PORT", "WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL");
        AppContainer(d).Env[0].Value.Should().Be("8080");
        AppContainer(d).Env[1].Value.Should().Be("2");
        AppContainer(d).Env[3].ValueFrom.SecretKeyRef.Name.Should().Be("shop-db");
        AppContainer(d).EnvFrom.Should().ContainSingle().Which.SecretRef.Name.Should().Be("shop-secrets");
    }

    [Fact]
    public void A_users_web_concurrency_replaces_the_default_and_port_stays_the_platforms()
    {
        var app = TestApps.Full().With(s =>
        {
            s.Port = 5000;
            s.Env = [new V1EnvVar { Name = "PORT", Value = "1" }, new V1EnvVar { Name = "WEB_CONCURRENCY", Value = "9" }];
        });

        var env = AppContainer(Build(app)).Env;

        env.Select(e => (e.Name, e.Value)).Should().Equal(("PORT", "5000"), ("WEB_CONCURRENCY", "9"));
    }

    [Theory]
    [InlineData("eco", "100m", "500m", "512Mi", "2")]
    [InlineData("basic", "250m", "1", "512Mi", "2")]
    [InlineData("standard-1x", "500m", "1", "512Mi", "2")]
    [InlineData("standard-2x", "1", "2", "1Gi", "4")]
    [InlineData("performance-m", "2", "2", "2560Mi", "5")]
    [InlineData("performance-l", "8", "8", "14Gi", "17")]
    [InlineData(null, "500m", "1", "512Mi", "2")]
    public void Size_preset_sets_requests_limits_and_web_concurrency(string? size, string cpuRequest, string cpuLimit, string memory, string concurrency)
    {
        var app = TestApps.Minimal().With(s => s.Processes["web"].Size = size);

        var container = AppContainer(Build(app));

        container.Resources.Requests["cpu"].ToString().Should().Be(cpuRequest);
        container.Resources.Limits["cpu"].ToString().Should().Be(cpuLimit);
        container.Resources.Requests["memory"].ToString().Should().Be(memory);
        container.Resources.Limits["memory"].ToString().Should().Be(memory);
        container.Env.Single(e => e.Name == "WEB_CONCURRENCY").Value.Should().Be(concurrency);
    }

    [Fact]
    public void Explicit_resources_replace_the_preset_but_the_size_still_sets_web_concurrency()
    {
        var app = TestApps.Minimal().With(s =>
        {
            s.Processes["web"].Size = DynoSizes.PerformanceL;
            s.Processes["web"].Resources = new V1ResourceRequirements
            {
                Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("300Mi") },
            };
        });

        var container = AppContainer(Build(app));

        container.Resources.Requests.Should().BeNull();
        container.Resources.Limits.Keys.Should().Equal("memory");
        container.Resources.Limits["memory"].ToString().Should().Be("300Mi");
        container.Env.Single(e => e.Name == "WEB_CONCURRENCY").Value.Should().Be("17");
    }

    [Fact]
    public void Every_pod_and_container_meets_the_restricted_pod_security_standard()
    {
        foreach (var process in new[] { "web", "worker" })
        {
            var pod = Build(TestApps.Full(), process).Spec.Template.Spec;

            pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
            pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
            pod.EnableServiceLinks.Should().BeFalse();
            pod.AutomountServiceAccountToken.Should().BeFalse();
            pod.ImagePullSecrets.Select(s => s.Name).Should().Equal("regcred");
            pod.Containers.Concat(pod.InitContainers ?? []).Should().AllSatisfy(c =>
            {
                c.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
                c.SecurityContext.RunAsNonRoot.Should().BeTrue();
                c.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
                c.SecurityContext.Capabilities.Add.Should().BeNull();
                c.SecurityContext.Privileged.Should().NotBe(true);
                c.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
            });
        }
    }

    [Theory]
    [InlineData("/healthz", 60, 30)]
    [InlineData(null, 60, 30)]
    [InlineData(null, 7, 4)]
    [InlineData("/up", null, 30)]
    public void Web_probes_check_port_with_the_health_path_or_tcp_within_the_boot_timeout(string? path, int? boot, int startupFailures)
    {
        var app = TestApps.Minimal().With(s => s.HealthCheck = new HealthCheckSpec { Path = path, BootTimeoutSeconds = boot });

        var container = AppContainer(Build(app));

        container.Ports.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1ContainerPort { Name = "app", ContainerPort = 8080, Protocol = "TCP" });
        foreach (var probe in new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe })
        {
            if (path is null)
            {
                probe.HttpGet.Should().BeNull();
                ((string)probe.TcpSocket.Port).Should().Be("app");
            }
            else
            {
                probe.TcpSocket.Should().BeNull();
                probe.HttpGet.Path.Should().Be(path);
                ((string)probe.HttpGet.Port).Should().Be("app");
            }
        }

        container.StartupProbe.FailureThreshold.Should().Be(startupFailures);
        (container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold).Should().BeGreaterThanOrEqualTo(boot ?? 60);
    }

    [Fact]
    public void Workers_get_port_but_no_probes_ports_or_router()
    {
        var d = Build(TestApps.Full(), "worker");

        var pod = d.Spec.Template.Spec;
        pod.Containers.Should().ContainSingle();
        pod.Containers[0].Env[0].Name.Should().Be("PORT");
        pod.Containers[0].Ports.Should().BeNull();
        pod.Containers[0].ReadinessProbe.Should().BeNull();
        pod.InitContainers.Should().BeNull();
        pod.Volumes.Should().BeNull();
        d.Spec.Template.Metadata.Annotations.Should().NotContainKey("kuroku.dev/router-config-hash");
    }

    [Fact]
    public void Other_processes_roll_as_Kubernetes_does_by_default_written_out_so_the_servers_default_is_no_difference()
    {
        var strategy = Build(TestApps.Full(), "worker").Spec.Strategy;

        strategy.Type.Should().Be("RollingUpdate");
        ((string)strategy.RollingUpdate.MaxUnavailable).Should().Be("25%");
        ((string)strategy.RollingUpdate.MaxSurge).Should().Be("25%");
    }

    [Fact]
    public void Web_rolls_out_without_downtime()
    {
        var strategy = Build(TestApps.Full()).Spec.Strategy;

        strategy.Type.Should().Be("RollingUpdate");
        ((string)strategy.RollingUpdate.MaxUnavailable).Should().Be("0");
        ((string)strategy.RollingUpdate.MaxSurge).Should().Be("25%");
    }

    [Fact]
    public void Web_pods_carry_the_router_with_its_config_static_and_temp_volumes()
    {
        var pod = Build(TestApps.Full()).Spec.Template.Spec;

        var router = pod.Containers.Should().ContainSingle(c => c.Name == "router").Subject;
        router.Image.Should().Be("nginx-test:1");
        router.Command.Should().Equal("nginx", "-e", "stderr", "-c", "/etc/kuroku/router/nginx.conf");
        router.Ports.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1ContainerPort { Name = "http", ContainerPort = 8081, Protocol = "TCP" });
        router.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        router.SecurityContext.RunAsUser.Should().Be(101);
        router.VolumeMounts.Select(m => (m.Name, m.MountPath, m.ReadOnlyProperty)).Should().Equal(
            ("router-config", "/etc/kuroku/router", true), ("static", "/kuroku-static", true), ("router-tmp", "/tmp", (bool?)null));
        router.VolumeMounts.Should().AllSatisfy(m => m.SubPath.Should().BeNull("subPath mounts are never refreshed by the kubelet"));

        var copy = pod.InitContainers.Should().ContainSingle().Subject;
        copy.Image.Should().Be("registry.example.com/acme/shop:1.4.2");
        copy.Command.Should().Equal("cp", "-R", "/app/staticfiles/.", "/kuroku-static/");
        copy.VolumeMounts.Should().ContainSingle().Which.MountPath.Should().Be("/kuroku-static");

        pod.Volumes.Select(v => v.Name).Should().Equal("router-config", "static", "router-tmp");
        pod.Volumes[0].ConfigMap.Name.Should().Be("shop-router");
        pod.Volumes[1].EmptyDir.Should().NotBeNull();
    }

    [Theory]
    [InlineData(8080, 8081)]
    [InlineData(8081, 8082)]
    [InlineData(3000, 8081)]
    public void Router_port_is_never_the_apps_port(int appPort, int routerPort)
    {
        var app = TestApps.Minimal().With(s => s.Port = appPort);

        var router = Build(app).Spec.Template.Spec.Containers.Single(c => c.Name == "router");

        router.Ports[0].ContainerPort.Should().Be(routerPort);
        Router.ConfigFor(app).Should().Contain($"listen {routerPort};").And.Contain($"server 127.0.0.1:{appPort};");
    }

    [Fact]
    public void Without_static_the_router_has_no_static_volume_or_copy()
    {
        var pod = Build(TestApps.Minimal()).Spec.Template.Spec;

        pod.InitContainers.Should().BeNull();
        pod.Volumes.Select(v => v.Name).Should().Equal("router-config", "router-tmp");
        Router.ConfigFor(TestApps.Minimal()).Should().NotContain("alias");
    }

    public static TheoryData<string, Action<WebAppSpec>, bool, bool> PodTemplateChanges => new()
    {
        // change, release hash changes, router config hash changes
        { "image", s => s.Image = "registry.example.com/acme/shop:1.4.3", true, false },
        { "env value", s => s.Env![0].Value = "shop.other", true, false },
        { "env added", s => s.Env!.Add(new V1EnvVar { Name = "NEW", Value = "1" }), true, false },
        { "envFrom", s => s.EnvFrom![0].SecretRef.Name = "other-secrets", true, false },
        { "web command", s => s.Processes["web"].Command = ["puma"], true, false },
        { "worker args", s => s.Processes["worker"].Args = ["--verbose"], true, false },
        { "replicas", s => s.Processes["web"].Replicas = 7, false, false },
        { "autoscaling", s => s.Processes["web"].Autoscaling!.MaxReplicas = 20, false, false },
        { "maintenance", s => s.Maintenance = true, false, false },
        { "domains", s => s.Domains!.Hosts = ["other.example.com"], false, false },
        { "static max-age", s => s.Static!.MaxAgeSeconds = 60, false, true },
        { "static path", s => s.Static!.Path = "/assets", false, true },
        { "port", s => s.Port = 5000, false, true },
    };

    [Theory]
    [MemberData(nameof(PodTemplateChanges))]
    public void Release_and_router_hashes_change_with_what_they_cover(string change, Action<WebAppSpec> apply, bool releaseChanges, bool routerChanges)
    {
        var before = Build(TestApps.Full()).Spec.Template.Metadata.Annotations;
        var after = Build(TestApps.Full().With(apply)).Spec.Template.Metadata.Annotations;

        (after["kuroku.dev/release-hash"] != before["kuroku.dev/release-hash"]).Should().Be(releaseChanges, change);
        (after["kuroku.dev/router-config-hash"] != before["kuroku.dev/router-config-hash"]).Should().Be(routerChanges, change);
        after["kuroku.dev/release-hash"].Should().Be(ReleaseHash.Compute(TestApps.Full().With(apply).Spec));
        after["kuroku.dev/release-hash"].Should().MatchRegex("^[0-9a-f]{16}$");
    }
}
