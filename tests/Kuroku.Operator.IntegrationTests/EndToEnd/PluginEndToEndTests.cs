extern alias plugin;

using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Operator.Reconciliation.Desired;
using k8s;
using k8s.Models;
using plugin::Kuroku.Kubectl;
using plugin::Kuroku.Kubectl.Kube;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// kubectl-kuroku (the plugin's whole entry point, <see cref="Plugin"/>.RunAsync, with the real
/// <see cref="KurokuCluster"/>) against the playground a user starts: the plugin writes the spec, the operator
/// turns it into Deployments, router data and releases, the stand-ins run the pods and the release phase.
/// </summary>
public sealed class PluginEndToEndTests : IAsyncLifetime
{
    private PlaygroundSession _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PlaygroundSession.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private sealed record Run(int Code, string Out, string Err);

    /// <summary>`kubectl kuroku ARGS`, in this test's namespace unless the arguments name one.</summary>
    private async Task<Run> Kuroku(params string[] args)
    {
        string[] line = args.Contains("-n") || args.Contains("--namespace") ? args : [.. args, "-n", PlaygroundSession.Namespace];
        return await KurokuIn(_cluster.KubeconfigPath, line);
    }

    private static async Task<Run> KurokuIn(string kubeconfig, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Plugin.RunAsync(args, stdout, stderr,
            o => KurokuCluster.Connect(o.Kubeconfig ?? kubeconfig, o.Context), TimeProvider.System, CancellationToken.None);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    private static WebApp Hello(Action<WebApp>? edit = null)
    {
        var app = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));
        app.Spec.Processes["worker"] = new ProcessSpec { Command = ["celery", "worker"] };
        edit?.Invoke(app);
        return app;
    }

    private async Task<WebApp> CreateHelloAsync(Action<WebApp>? edit = null)
    {
        var app = await _cluster.CreateAsync(Hello(edit));
        await ReleaseAsync(1);
        return app;
    }

    /// <summary>Waits until the operator has made release vN live.</summary>
    private async Task<WebApp> ReleaseAsync(int version)
    {
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == version, $"release v{version}");
        return await _cluster.GetAsync("hello");
    }

    private static Task Eventually(Func<Task<bool>> condition, string what) => PlaygroundSession.EventuallyAsync(condition, what);

    private static void Succeeded(Run run) => run.Code.Should().Be(Plugin.Ok, $"the plugin succeeds (stderr: {run.Err}, stdout: {run.Out})");

    private static string Json(object? value) => KubernetesJson.Serialize(value);

    [Fact]
    public async Task Scale_sets_the_replicas_of_each_named_process_without_a_release()
    {
        await CreateHelloAsync();

        var run = await Kuroku("scale", "hello", "web=3", "worker=0");

        Succeeded(run);
        await Eventually(async () => (await _cluster.DeploymentAsync("hello-web"))?.Spec.Replicas == 3, "hello-web at 3 replicas");
        await Eventually(async () => (await _cluster.DeploymentAsync("hello-worker"))?.Spec.Replicas == 0, "hello-worker at 0 replicas");
        var app = await _cluster.GetAsync("hello");
        app.Spec.Processes["web"].Replicas.Should().Be(3);
        app.Spec.Processes["worker"].Replicas.Should().Be(0);
        app.Status!.Release.Should().Be(1, "scaling alone makes no release");
    }

    [Fact]
    public async Task Scaling_an_autoscaled_process_is_refused_and_changes_nothing()
    {
        await CreateHelloAsync(a => a.Spec.Processes["web"].Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 5 });
        var before = await _cluster.GetAsync("hello");

        var run = await Kuroku("scale", "hello", "web=4");

        run.Code.Should().Be(Plugin.Failed);
        run.Err.Should().Contain("spec.processes.web.autoscaling").And.Contain("kubectl patch webapp hello");
        var after = await _cluster.GetAsync("hello");
        Json(after.Spec).Should().Be(Json(before.Spec));
        after.Metadata.Generation.Should().Be(before.Metadata.Generation);
    }

    [Fact]
    public async Task Config_set_and_unset_edit_the_config_vars_and_each_makes_a_release()
    {
        await CreateHelloAsync();

        Succeeded(await Kuroku("config:set", "hello", "FOO=bar", "GREETING=hello world"));
        var config = await Kuroku("config", "hello");
        Succeeded(config);
        config.Out.Should().Be("FOO=bar\nGREETING=hello world\n");
        var v2 = await ReleaseAsync(2);
        v2.Status!.Releases![0].Reason.Should().Be("config vars changed");
        var web = (await _cluster.DeploymentAsync("hello-web"))!;
        web.Spec.Template.Spec.Containers.SelectMany(c => c.Env ?? []).Should().Contain(e => e.Name == "FOO" && e.Value == "bar");

        Succeeded(await Kuroku("config:unset", "hello", "FOO"));
        (await Kuroku("config", "hello")).Out.Should().Be("GREETING=hello world\n");
        await ReleaseAsync(3);
    }

    [Fact]
    public async Task Concurrent_config_sets_of_different_names_both_survive()
    {
        await CreateHelloAsync();
        // Both commands read the app before either patch lands, so one patch meets a newer resourceVersion.
        _cluster.Server.Faults.Delay("patch", "webapps", TimeSpan.FromMilliseconds(300));

        var runs = await Task.WhenAll(Kuroku("config:set", "hello", "A=1"), Kuroku("config:set", "hello", "B=2"));
        _cluster.Server.Faults.Clear();

        runs.Should().AllSatisfy(Succeeded);
        (await _cluster.GetAsync("hello")).Spec.Env!.Select(e => $"{e.Name}={e.Value}").Should().BeEquivalentTo(["A=1", "B=2"]);
        _cluster.Server.Requests.Count("patch", "webapps").Should().BeGreaterThan(2, "one of the patches was refused and retried");
    }

    [Fact]
    public async Task Maintenance_sets_the_router_flag_and_restarts_nothing()
    {
        await CreateHelloAsync();
        await Eventually(async () => await _cluster.DeploymentAsync("hello-worker") is not null, "the worker Deployment");
        var templates = new Dictionary<string, string>
        {
            ["hello-web"] = Json((await _cluster.DeploymentAsync("hello-web"))!.Spec.Template),
            ["hello-worker"] = Json((await _cluster.DeploymentAsync("hello-worker"))!.Spec.Template),
        };
        const string flag = NginxConfig.MaintenanceFlagFile;

        Succeeded(await Kuroku("maintenance:on", "hello"));
        await Eventually(async () => (await RouterAsync()).Data?.ContainsKey(flag) == true, "the maintenance flag in hello-router");
        foreach (var (name, template) in templates)
        {
            Json((await _cluster.DeploymentAsync(name))!.Spec.Template).Should().Be(template, $"{name}'s pods keep running");
        }

        Succeeded(await Kuroku("maintenance:off", "hello"));
        await Eventually(async () => (await RouterAsync()).Data?.ContainsKey(flag) == false, "the maintenance flag gone from hello-router");
        foreach (var (name, template) in templates)
        {
            Json((await _cluster.DeploymentAsync(name))!.Spec.Template).Should().Be(template, $"{name}'s pods keep running");
        }

        (await _cluster.GetAsync("hello")).Status!.Release.Should().Be(1, "maintenance makes no release");
    }

    private Task<V1ConfigMap> RouterAsync() => _cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("hello-router", PlaygroundSession.Namespace);

    [Fact]
    public async Task Releases_lists_the_versions_and_rollback_restores_an_old_one_as_a_new_release()
    {
        var original = await CreateHelloAsync();
        Succeeded(await Kuroku("config:set", "hello", "FOO=bar"));
        await ReleaseAsync(2);
        await _cluster.EditAsync("hello", a => a.Spec.Image = "ghcr.io/acme/hello:2.0.0");
        await ReleaseAsync(3);

        var releases = await Kuroku("releases", "hello");
        Succeeded(releases);
        var lines = releases.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^VERSION\s+STATUS\s+REASON\s+IMAGE\s+AGE$");
        lines.Skip(1).Select(l => l.Split(' ')[0]).Should().Equal("v3", "v2", "v1");
        lines[1].Should().Contain("Succeeded (live)").And.Contain("image changed").And.Contain("ghcr.io/acme/hello:2.0.0");
        lines[3].Should().Contain("initial release");

        var rollback = await Kuroku("rollback", "hello", "v1");

        Succeeded(rollback);
        var v4 = await ReleaseAsync(4);
        v4.Status!.Releases![0].Reason.Should().Be("rollback to v1");
        v4.Spec.Image.Should().Be(original.Spec.Image);
        (v4.Spec.Env ?? []).Should().BeEmpty();
        Json(v4.Spec.Processes.ToDictionary(p => p.Key, p => p.Value.Command)).Should().Be(Json(original.Spec.Processes.ToDictionary(p => p.Key, p => p.Value.Command)));
        (await _cluster.DeploymentAsync("hello-web"))!.Spec.Template.Spec.Containers.Should().Contain(c => c.Image == original.Spec.Image);
    }

    [Fact]
    public async Task Ps_shows_ready_replicas_once_the_deployments_are_ready()
    {
        // The stand-ins start the pods and write the Deployments' status, as a cluster's controllers would.
        await CreateHelloAsync();
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Processes?.Values.All(p => p.ReadyReplicas == 1) == true, "ready processes in status");

        var ps = await Kuroku("ps", "hello");

        Succeeded(ps);
        var rows = ps.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        rows[0].Should().StartWith(["PROCESS", "REPLICAS", "READY", "UP-TO-DATE", "SIZE", "COMMAND", "AUTOSCALING"]);
        rows[1].Should().StartWith(["web", "1", "1/1", "1", "standard-1x", "gunicorn"]);
        rows[2].Should().StartWith(["worker", "1", "1/1", "1", "standard-1x", "celery", "worker", "-"]);
    }

    [Fact]
    public async Task The_namespace_flag_selects_the_app_and_the_kubeconfig_namespace_is_the_default()
    {
        await CreateHelloAsync();
        var other = "o-" + Guid.NewGuid().ToString("N")[..10];
        await _cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = other },
        });
        try
        {
            var elsewhere = Hello();
            elsewhere.Metadata.NamespaceProperty = other;
            await _cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(elsewhere, WebAppApi.Group, WebAppApi.Version, other, WebAppApi.Plural);

            Succeeded(await Kuroku("config:set", "hello", "WHERE=other", "-n", other));

            (await Kuroku("config", "--namespace", other, "hello")).Out.Should().Be("WHERE=other\n");
            (await Kuroku("config", "hello")).Out.Should().Be("# hello has no config vars\n");
            // The playground's kubeconfig names "default" as its namespace.
            (await KurokuIn(_cluster.KubeconfigPath, "config", "hello")).Out.Should().Be("# hello has no config vars\n");
        }
        finally
        {
            await _cluster.Client.CoreV1.DeleteNamespaceAsync(other);
        }
    }

    [Fact]
    public async Task An_unknown_app_fails_with_exit_code_1_and_says_so()
    {
        foreach (var command in new[] { "ps", "releases", "config", "maintenance:on" })
        {
            var run = await Kuroku(command, "nope");

            run.Code.Should().Be(Plugin.Failed, command);
            run.Err.Should().Be($"error: webapp \"nope\" not found in namespace \"{PlaygroundSession.Namespace}\"\n", command);
        }
    }

    [Fact]
    public async Task Kubectl_runs_the_built_plugin_found_on_path()
    {
        await CreateHelloAsync();
        var (code, stdout, stderr) = await _cluster.KubectlKurokuAsync("", "releases", "hello", "-n", PlaygroundSession.Namespace);

        code.Should().Be(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("VERSION");
        lines[1].Should().StartWith("v1").And.Contain("Succeeded (live)").And.Contain("initial release");
    }
}
