extern alias plugin;

using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Playground.Cluster.Nodes;
using plugin::Kuroku.Kubectl;
using plugin::Kuroku.Kubectl.Kube;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// What the README tells a newcomer to try in the playground, with the real kubectl and the plugin: every example
/// turns Ready, a release phase is seen running and then succeeding, and one asked to fail fails while the
/// previous release keeps serving.
/// </summary>
public sealed class PlaygroundTests : IAsyncLifetime
{
    private PlaygroundSession _playground = null!;
    private Kubectl _kubectl = null!;

    /// <summary>Starts this test's playground: pods start at once, a release phase's pod runs <paramref name="jobRunTime"/>.</summary>
    private async Task StartAsync(TimeSpan jobRunTime)
    {
        _playground = await PlaygroundSession.StartAsync(PlaygroundSession.Instant with { JobRunTime = jobRunTime });
        _kubectl = _playground.Kubectl();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _kubectl?.Dispose();
        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }
    }

    private async Task<string> Kubectl(params string[] args) => (await _kubectl.RunAsync(args)).EnsureSuccess().StdOut;

    /// <summary>`kubectl kuroku ARGS` with the playground's kubeconfig.</summary>
    private async Task<string> Kuroku(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Plugin.RunAsync(args, stdout, stderr,
            o => KurokuCluster.Connect(o.Kubeconfig ?? _playground.KubeconfigPath, o.Context), TimeProvider.System, CancellationToken.None);
        code.Should().Be(Plugin.Ok, $"kubectl kuroku {string.Join(' ', args)} succeeds (stderr: {stderr})");
        return stdout.ToString();
    }

    private static string Examples => Path.Combine(SchemaCheck.RepositoryRoot, "examples");

    /// <summary>Waits, with kubectl wait, until a WebApp's condition has this reason.</summary>
    private Task<string> WaitForReason(string app, string condition, string reason) =>
        Kubectl("wait", $"--for=jsonpath={{.status.conditions[?(@.type==\"{condition}\")].reason}}={reason}", $"webapp/{app}", "-n", "shop", "--timeout=30s");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Every_example_turns_ready_with_kubectl_apply_and_wait()
    {
        await StartAsync(TimeSpan.Zero);
        await Kubectl("apply", "-f", Examples);

        var met = await Kubectl("wait", "--for=condition=Ready", "webapp", "--all", "-A", "--timeout=60s");

        Lines(met).Should().BeEquivalentTo("webapp.kuroku.dev/hello condition met", "webapp.kuroku.dev/shop condition met");
        var shop = await _playground.GetAsync("shop", "shop");
        shop.Status!.ProcessSummary.Should().Be("web 2/2, worker 1/1, cleanup (30 3 * * * Europe/Paris)", "the autoscaler stand-in brought web to its minReplicas; the nightly cleanup is scheduled");
        Lines(await Kubectl("get", "pods", "-n", "shop", "-l", "app.kubernetes.io/component in (web,worker)", "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"))
            .Should().Equal("Running", "Running", "Running");
        (await _playground.JobAsync("shop-release-v1", "shop"))!.Status.Conditions.Should().Contain(c => c.Type == "Complete" && c.Status == "True");
        var releases = Lines(await Kuroku("releases", "shop", "-n", "shop"));
        releases.Should().HaveCount(2);
        releases[1].Should().StartWith("v1").And.Contain("Succeeded (live)").And.Contain("initial release");
    }

    [Fact]
    public async Task Once_every_example_is_ready_nothing_more_is_written()
    {
        // Level-triggered and idempotent on both sides: the stand-ins and the operator leave each other's writes alone.
        await StartAsync(TimeSpan.Zero);
        await Kubectl("apply", "-f", Examples);
        await Kubectl("wait", "--for=condition=Ready", "webapp", "--all", "-A", "--timeout=60s");
        await Task.Delay(TimeSpan.FromSeconds(1));
        _playground.Server.Requests.Clear();

        await Task.Delay(TimeSpan.FromSeconds(3));

        _playground.Server.Requests.Entries.Where(r => r.IsWrite).Select(r => $"{r.Verb} {r.Resource} {r.Namespace}/{r.Name}")
            .Should().BeEmpty();
    }

    [Fact]
    public async Task A_release_phase_is_seen_running_then_the_release_goes_live()
    {
        // Long enough to be seen: the kubelet stand-in counts from the pod's startTime, which has whole seconds.
        await StartAsync(TimeSpan.FromSeconds(3));
        await Kubectl("apply", "-f", Examples);

        await WaitForReason("shop", "Ready", "ReleasePhaseRunning");
        await PlaygroundSession.EventuallyAsync(async () => (await _playground.JobAsync("shop-release-v1", "shop"))?.Status?.Active == 1, "the release command to run");
        (await _playground.JobAsync("shop-release-v1", "shop"))!.Status.Conditions.Should().BeNullOrEmpty("it has not finished");
        (await _playground.DeploymentAsync("shop-web", "shop")).Should().BeNull("no process runs before its release phase succeeded");

        await Kubectl("wait", "--for=condition=Ready", "webapp/shop", "-n", "shop", "--timeout=30s");
        (await _playground.JobAsync("shop-release-v1", "shop"))!.Status.Succeeded.Should().Be(1);
        (await _playground.DeploymentAsync("shop-web", "shop"))!.Status.AvailableReplicas.Should().Be(2);
    }

    [Fact]
    public async Task A_release_phase_asked_to_fail_fails_and_the_previous_release_keeps_serving()
    {
        await StartAsync(TimeSpan.Zero);
        await Kubectl("apply", "-f", Examples);
        await Kubectl("wait", "--for=condition=Ready", "webapp/shop", "-n", "shop", "--timeout=60s");
        var serving = (await _playground.DeploymentAsync("shop-web", "shop"))!.Spec.Template.Metadata.Annotations;

        await Kubectl("annotate", "webapp", "shop", "-n", "shop", $"{FailSwitch.Annotation}=true");
        await Kuroku("config:set", "shop", "GREETING=hello", "-n", "shop");

        var degraded = await WaitForReason("shop", "Degraded", "ReleaseFailed");
        degraded.Should().Contain("condition met");
        var job = (await _playground.JobAsync("shop-release-v2", "shop"))!;
        job.Status.Conditions.Should().Contain(c => c.Type == "Failed" && c.Reason == "BackoffLimitExceeded");
        var releases = Lines(await Kuroku("releases", "shop", "-n", "shop"));
        releases[1].Should().StartWith("v2").And.Contain("Failed").And.Contain("kubectl logs job/shop-release-v2");
        releases[2].Should().StartWith("v1").And.Contain("Succeeded (live)");
        (await _playground.DeploymentAsync("shop-web", "shop"))!.Spec.Template.Metadata.Annotations.Should().Equal(serving, "v1 keeps serving");
        (await _playground.GetAsync("shop", "shop")).Status!.ProcessSummary.Should().Be("web 2/2, worker 1/1, cleanup (30 3 * * * Europe/Paris)");

        // Without the annotation, the next release succeeds and goes live.
        await Kubectl("annotate", "webapp", "shop", "-n", "shop", $"{FailSwitch.Annotation}-");
        await Kuroku("config:set", "shop", "GREETING=hi", "-n", "shop");
        await PlaygroundSession.EventuallyAsync(async () => (await _playground.GetAsync("shop", "shop")).Status?.Release == 3, "v3 to go live");
        await Kubectl("wait", "--for=condition=Ready", "webapp/shop", "-n", "shop", "--timeout=30s");
        Lines(await Kuroku("releases", "shop", "-n", "shop"))[1].Should().StartWith("v3").And.Contain("Succeeded (live)");
    }
}
