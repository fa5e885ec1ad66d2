using System.Text;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>
/// Releases against the API server (issue 4): the release phase Job runs before any process changes,
/// config and referenced Secret changes make releases, scaling does not, failures and timeouts keep the
/// previous release serving, rollback re-runs the release phase, and the history is bounded.
/// The test plays the cluster's Job controller by writing the Job's status.
/// </summary>
public sealed class ReleaseTests : IAsyncLifetime
{
    private const string App = "shop";
    private const string V1Image = "registry.example.com/acme/shop:1.4.2";
    private const string V2Image = "registry.example.com/acme/shop:1.4.3";
    private const string ReleaseHashAnnotation = "kuroku.dev/release-hash";

    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("shop-db", "url", "postgres://db/shop"), _cluster.Namespace);
        await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("shop-secrets", "SECRET_KEY", "s3cr3t"), _cluster.Namespace);
        // No periodic resync here: every outcome must follow from a watch event (a Job's status, a
        // Secret's data) or from the operator's own requeue (the timeout backstop).
        await _cluster.StartOperatorAsync(o => o with { ResyncPeriod = TimeSpan.FromMinutes(10) });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static V1Secret Secret(string name, string key, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
    };

    /// <summary>examples/webapp.yaml: web + worker, a release command, config from Secrets.</summary>
    private static WebApp Shop(Action<WebApp>? edit = null)
    {
        var app = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "webapp.yaml")));
        edit?.Invoke(app);
        return app;
    }

    private Task Eventually(Func<Task<bool>> condition, string what) => TestCluster.EventuallyAsync(condition, what);

    private static string Job(int version) => $"{App}-release-v{version}";

    private Task<WebApp> Get() => _cluster.GetAsync(App);

    private async Task<ReleaseRecord?> Release(int version) =>
        (await Get()).Status?.Releases?.FirstOrDefault(r => r.Version == version);

    private async Task<V1Condition?> Condition(string type) =>
        (await Get()).Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static string? Hash(V1Deployment? d) =>
        d?.Spec.Template.Metadata?.Annotations?.TryGetValue(ReleaseHashAnnotation, out var h) == true ? h : null;

    private async Task<bool> ProcessesRun(string image)
    {
        var web = await _cluster.DeploymentAsync("shop-web");
        var worker = await _cluster.DeploymentAsync("shop-worker");
        return web?.Spec.Template.Spec.Containers[0].Image == image && worker?.Spec.Template.Spec.Containers[0].Image == image;
    }

    /// <summary>Waits for the release's Job, completes it, and waits until the processes run that release.</summary>
    private async Task ReleaseSucceedsAsync(int version, string image)
    {
        await Eventually(async () => await _cluster.JobAsync(Job(version)) is not null, $"the release phase Job of v{version}");
        await _cluster.CompleteJobAsync(Job(version));
        await Eventually(async () => (await Get()).Status?.Release == version && await ProcessesRun(image), $"v{version} live on both processes");
    }

    /// <summary>Creates shop and brings v1 live.</summary>
    private async Task CreateLiveAsync(Action<WebApp>? edit = null)
    {
        await _cluster.CreateAsync(Shop(edit));
        await ReleaseSucceedsAsync(1, V1Image);
    }

    [Fact]
    public async Task The_release_phase_job_runs_before_any_process_starts()
    {
        await _cluster.CreateAsync(Shop());

        await Eventually(async () => await _cluster.JobAsync(Job(1)) is not null, "the release phase Job of v1");
        var job = (await _cluster.JobAsync(Job(1)))!;
        var container = job.Spec.Template.Spec.Containers.Should().ContainSingle().Subject;
        container.Image.Should().Be(V1Image);
        container.Command.Should().Equal("python", "manage.py", "migrate");
        container.Env.Should().Contain(e => e.Name == "DATABASE_URL" && e.ValueFrom.SecretKeyRef.Name == "shop-db");
        job.Metadata.OwnerReferences.Should().ContainSingle(r => r.Kind == WebAppApi.Kind && r.Controller == true);
        await Eventually(async () => (await Release(1))?.Phase == "Running", "v1 Running in status");
        (await Condition(Conditions.Progressing))!.Reason.Should().Be(Conditions.Reasons.ReleasePhaseRunning);
        (await _cluster.Client.AppsV1.ListNamespacedDeploymentAsync(_cluster.Namespace)).Items.Should().BeEmpty("no process runs before its release phase succeeds");
        (await Get()).Status!.Release.Should().BeNull();

        await _cluster.CompleteJobAsync(Job(1));

        await Eventually(() => ProcessesRun(V1Image), "both Deployments after the release phase");
        await Eventually(async () => (await Get()).Status?.Release == 1, "v1 live in status");
        (await Release(1))!.Phase.Should().Be("Succeeded");
        (await _cluster.EventsAboutAsync(WebAppApi.Kind, App)).Should().Contain(e => e.Reason == "ReleaseSucceeded");
    }

    [Fact]
    public async Task A_config_change_makes_a_release_whose_pods_roll_only_after_its_release_phase()
    {
        await CreateLiveAsync();
        var v1Hash = Hash(await _cluster.DeploymentAsync("shop-web"));

        await _cluster.EditAsync(App, a => a.Spec.Env!.Add(new V1EnvVar { Name = "FEATURE_X", Value = "on" }));

        await Eventually(async () => await _cluster.JobAsync(Job(2)) is not null, "the release phase Job of v2");
        (await _cluster.JobAsync(Job(2)))!.Spec.Template.Spec.Containers[0].Env.Should().Contain(e => e.Name == "FEATURE_X" && e.Value == "on");
        await Eventually(async () => (await Release(2))?.Phase == "Running", "v2 Running in status");
        (await Release(2))!.Reason.Should().Be("config vars changed");
        var web = (await _cluster.DeploymentAsync("shop-web"))!;
        Hash(web).Should().Be(v1Hash, "the pods keep v1 while v2's release phase runs");
        web.Spec.Template.Spec.Containers[0].Env.Should().NotContain(e => e.Name == "FEATURE_X");
        (await Get()).Status!.Release.Should().Be(1);

        await _cluster.CompleteJobAsync(Job(2));

        await Eventually(async () => (await _cluster.DeploymentAsync("shop-web"))!.Spec.Template.Spec.Containers[0].Env.Any(e => e.Name == "FEATURE_X"),
            "the web pods to roll to v2");
        await Eventually(async () => (await Get()).Status?.Release == 2, "v2 live in status");
        Hash(await _cluster.DeploymentAsync("shop-web")).Should().NotBe(v1Hash);
        await Eventually(async () => await _cluster.JobAsync(Job(1)) is null, "the superseded v1 Job to be deleted");
    }

    [Fact]
    public async Task Scaling_makes_no_release()
    {
        await CreateLiveAsync();
        var hash = Hash(await _cluster.DeploymentAsync("shop-worker"));

        await _cluster.EditAsync(App, a => a.Spec.Processes["worker"].Replicas = 3);

        await Eventually(async () => (await _cluster.DeploymentAsync("shop-worker"))!.Spec.Replicas == 3, "the worker Deployment at 3 replicas");
        await Eventually(async () => (await Get()).Status?.ObservedGeneration == (await Get()).Metadata.Generation, "status of the scaled spec");
        (await _cluster.RevisionsAsync(App)).Should().ContainSingle();
        (await _cluster.JobAsync(Job(2))).Should().BeNull();
        (await Get()).Status!.Releases.Should().ContainSingle();
        Hash(await _cluster.DeploymentAsync("shop-worker")).Should().Be(hash);
    }

    [Fact]
    public async Task A_change_of_a_referenced_secret_makes_a_release()
    {
        await CreateLiveAsync();
        var v1Hash = Hash(await _cluster.DeploymentAsync("shop-web"));

        var secret = await _cluster.Client.CoreV1.ReadNamespacedSecretAsync("shop-db", _cluster.Namespace);
        secret.Data["url"] = Encoding.UTF8.GetBytes("postgres://db-replacement/shop");
        await _cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "shop-db", _cluster.Namespace);

        await Eventually(async () => await _cluster.JobAsync(Job(2)) is not null, "the release phase Job of v2 after the Secret changed");
        await Eventually(async () => (await Release(2)) is not null, "v2 in status");
        (await Release(2))!.Reason.Should().Be("referenced config changed");
        (await Release(2))!.Image.Should().Be(V1Image);
        await _cluster.CompleteJobAsync(Job(2));
        await Eventually(async () => (await Get()).Status?.Release == 2 && Hash(await _cluster.DeploymentAsync("shop-web")) != v1Hash,
            "the pods to roll to v2, so they read the new Secret");
    }

    [Fact]
    public async Task A_failed_release_phase_keeps_the_previous_release_serving()
    {
        await CreateLiveAsync();
        var v1Hash = Hash(await _cluster.DeploymentAsync("shop-web"));
        await _cluster.EditAsync(App, a => a.Spec.Image = V2Image);
        await Eventually(async () => await _cluster.JobAsync(Job(2)) is not null, "the release phase Job of v2");

        await _cluster.FailJobAsync(Job(2), "BackoffLimitExceeded");

        await Eventually(async () => (await Release(2))?.Phase == "Failed", "v2 Failed in status");
        (await Release(2))!.Message.Should().Contain("release command failed");
        await Eventually(async () => (await Condition(Conditions.Degraded)) is { Status: "True", Reason: Conditions.Reasons.ReleaseFailed },
            "Degraded=True with reason ReleaseFailed");
        (await Condition(Conditions.Degraded))!.Message.Should().Contain("v1 keeps serving");
        await Eventually(async () => (await _cluster.EventsAboutAsync(WebAppApi.Kind, App)).Any(e => e is { Type: "Warning", Reason: "ReleaseFailed" }),
            "a Warning event ReleaseFailed");
        (await Get()).Status!.Release.Should().Be(1);
        (await ProcessesRun(V1Image)).Should().BeTrue("the processes keep v1");
        Hash(await _cluster.DeploymentAsync("shop-web")).Should().Be(v1Hash);
        (await _cluster.JobAsync(Job(3))).Should().BeNull("a failed release is not retried until the spec changes");
    }

    [Fact]
    public async Task A_release_phase_past_its_timeout_fails_through_the_operators_backstop()
    {
        await CreateLiveAsync();

        // Nobody completes the Job: after 2 s the operator gives up on it.
        await _cluster.EditAsync(App, a =>
        {
            a.Spec.Image = V2Image;
            a.Spec.Release!.TimeoutSeconds = 2;
        });

        await Eventually(async () => (await Release(2))?.Phase == "Failed", "v2 Failed after its timeout");
        (await Release(2))!.Message.Should().Contain("did not finish within 2s");
        (await Condition(Conditions.Degraded))!.Reason.Should().Be(Conditions.Reasons.ReleaseFailed);
        (await Get()).Status!.Release.Should().Be(1);
        (await ProcessesRun(V1Image)).Should().BeTrue("the processes keep v1");
        if (!_cluster.IsReal)
        {
            // No Job controller here, so it was the operator's backstop that fired: it stops the command.
            await Eventually(async () => await _cluster.JobAsync(Job(2)) is null, "the timed-out Job to be deleted");
        }
    }

    [InProcessFact("holds back the ControllerRevision watch with a fault hook so the operator's cache lags, and counts Job creates in the request log")]
    public async Task A_timed_out_release_phase_is_not_started_again_while_the_cache_lags_behind()
    {
        await CreateLiveAsync();
        var server = _cluster.Server!;
        await _cluster.EditAsync(App, a =>
        {
            a.Spec.Image = V2Image;
            a.Spec.Release!.TimeoutSeconds = 2;
        });
        await Eventually(async () => (await Release(2))?.Phase == "Running", "v2 Running");

        // The operator's view of its releases falls behind (its ControllerRevision watch is down) while
        // it still sees Jobs: when the backstop fails v2 and deletes its Job, the next reconcile still
        // reads v2 as Running from the cache and finds no Job.
        var revisionWatches = server.Requests.Count("watch", "controllerrevisions");
        server.Faults.Hold("watch", "controllerrevisions");
        server.DropWatches();
        await Eventually(async () => (await Release(2))?.Phase == "Failed", "v2 Failed after its timeout");
        server.Faults.Clear();
        await Eventually(async () => server.Requests.Count("watch", "controllerrevisions") > revisionWatches
            && await _cluster.JobAsync(Job(2)) is null && (await Get()).Status?.Conditions?.Any(c => c.Reason == Conditions.Reasons.ReleaseFailed) == true,
            "the revision watch back, the timed-out Job gone");

        server.Requests.Entries.Count(e => e.Verb == "create" && e.Resource == "jobs" && e.StatusCode < 300).Should().Be(2,
            "one Job for v1 and one for v2: a release the operator failed never gets its command run again");
        (await _cluster.JobAsync(Job(2))).Should().BeNull();
    }

    [Fact]
    public async Task A_rollback_makes_a_new_release_and_runs_the_release_phase_again()
    {
        await CreateLiveAsync();
        var v1Hash = Hash(await _cluster.DeploymentAsync("shop-web"));
        await _cluster.EditAsync(App, a => a.Spec.Image = V2Image);
        await ReleaseSucceedsAsync(2, V2Image);

        await _cluster.EditAsync(App, a =>
        {
            a.Spec.Image = V1Image;
            a.Metadata.Annotations ??= new Dictionary<string, string>();
            a.Metadata.Annotations["kuroku.dev/rollback-to"] = "1";
        });

        await Eventually(async () => await _cluster.JobAsync(Job(3)) is not null, "the release phase Job of v3");
        (await _cluster.JobAsync(Job(3)))!.Spec.Template.Spec.Containers[0].Image.Should().Be(V1Image);
        await Eventually(async () => (await Release(3)) is not null, "v3 in status");
        (await Release(3))!.Reason.Should().Be("rollback to v1");
        (await ProcessesRun(V2Image)).Should().BeTrue("v2 serves while the rollback's release phase runs");

        await _cluster.CompleteJobAsync(Job(3));

        await Eventually(async () => (await Get()).Status?.Release == 3 && await ProcessesRun(V1Image), "v3 live with v1's image");
        Hash(await _cluster.DeploymentAsync("shop-web")).Should().Be(v1Hash, "v3 is v1's image and config");
    }

    [Fact]
    public async Task The_release_history_keeps_the_last_ten()
    {
        var hello = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));
        await _cluster.CreateAsync(hello);
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == 1, "v1 of hello");

        for (var i = 1; i <= 12; i++)
        {
            var image = $"ghcr.io/acme/hello:1.0.{i}";
            await _cluster.EditAsync("hello", a => a.Spec.Image = image);
            var version = i + 1;
            await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Release == version, $"v{version} live");
        }

        await Eventually(async () => (await _cluster.RevisionsAsync("hello")).Count == 10, "10 ControllerRevisions");
        (await _cluster.RevisionsAsync("hello")).Select(r => r.Revision).Should().Equal(Enumerable.Range(4, 10).Select(v => (long?)v));
        var releases = (await _cluster.GetAsync("hello")).Status!.Releases!;
        releases.Select(r => r.Version).Should().Equal(Enumerable.Range(4, 10).Reverse());
        releases[0].Image.Should().Be("ghcr.io/acme/hello:1.0.12");
    }
}
