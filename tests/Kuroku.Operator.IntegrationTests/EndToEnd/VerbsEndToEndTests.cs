extern alias plugin;

using System.Text.RegularExpressions;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Playground.Cluster.Nodes;
using k8s;
using k8s.Models;
using plugin::Kuroku.Kubectl;
using plugin::Kuroku.Kubectl.Kube;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// Heroku's daily verbs (run, logs, restart, scheduled processes, promote) end to end: the plugin (in this
/// process, and the built binary through the real kubectl) against the playground, whose API server serves pod
/// logs and attach (a scripted container stand-in) and whose stand-ins run the pods, Jobs and CronJobs.
/// </summary>
public sealed partial class VerbsEndToEndTests : IAsyncLifetime
{
    private PlaygroundSession _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PlaygroundSession.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private sealed record Run(int Code, string Out, string Err);

    private Task<Run> Kuroku(params string[] args) => KurokuAsync(args, null, CancellationToken.None);

    /// <summary>`kubectl kuroku ARGS` in this process, in the session's namespace unless the arguments name one.</summary>
    private async Task<Run> KurokuAsync(string[] args, TextWriter? output, CancellationToken cancellationToken)
    {
        string[] line = args.Contains("-n") ? args : [args[0], "-n", PlaygroundSession.Namespace, .. args[1..]];
        var stdout = output ?? new StringWriter();
        using var stderr = new StringWriter();
        var code = await Plugin.RunAsync(line, stdout, stderr,
            o => KurokuCluster.Connect(o.Kubeconfig ?? _cluster.KubeconfigPath, o.Context), TimeProvider.System, cancellationToken);
        return new Run(code, output is null ? stdout.ToString()! : "", stderr.ToString());
    }

    /// <summary>`kubectl kuroku ARGS` as a user runs it: the real kubectl finds the built plugin on PATH; stdin piped in.</summary>
    private async Task<Run> KubectlKuroku(string stdin, params string[] args)
    {
        var (code, stdout, stderr) = await _cluster.KubectlKurokuAsync(stdin, args);
        return new Run(code, stdout, stderr);
    }

    private static WebApp Hello(Action<WebApp>? edit = null)
    {
        var app = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));
        app.Spec.Processes["worker"] = new ProcessSpec { Command = ["celery", "worker"] };
        app.Spec.Env = [new V1EnvVar { Name = "GREETING", Value = "hi" }];
        edit?.Invoke(app);
        return app;
    }

    private async Task CreateHelloAsync(Action<WebApp>? edit = null)
    {
        await _cluster.CreateAsync(Hello(edit));
        await ReleaseAsync("hello", 1);
    }

    private async Task<WebApp> ReleaseAsync(string name, int version, string ns = PlaygroundSession.Namespace)
    {
        await Eventually(async () => (await _cluster.GetAsync(name, ns)).Status?.Release == version, $"release v{version} of {ns}/{name}");
        return await _cluster.GetAsync(name, ns);
    }

    private async Task<IReadOnlyList<V1Pod>> PodsAsync(string selector) =>
        (await _cluster.Client.CoreV1.ListNamespacedPodAsync(PlaygroundSession.Namespace, labelSelector: selector)).Items.ToList();

    private async Task<bool> RunningAsync(string process) =>
        (await PodsAsync($"app.kubernetes.io/part-of=hello,app.kubernetes.io/component={process}"))
            .Any(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null);

    private static Task Eventually(Func<Task<bool>> condition, string what) => PlaygroundSession.EventuallyAsync(condition, what);

    private static void Succeeded(Run run) => run.Code.Should().Be(Plugin.Ok, $"the plugin succeeds (stderr: {run.Err}, stdout: {run.Out})");

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[(?<source>[a-z]+\.v?\d+)\]: (?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex LogLine();

    private static IReadOnlyList<(string Source, string Text)> Lines(string output) =>
        [.. LogLine().Matches(output).Select(m => (m.Groups["source"].Value, m.Groups["text"].Value))];

    [Fact]
    public async Task Run_attaches_the_terminal_to_a_one_off_process_of_the_live_release_and_exits_with_its_code()
    {
        await CreateHelloAsync();
        string? env = null;
        _cluster.Server.Containers.OnAttach(async (container, cancellationToken) =>
        {
            env = container.Pod["spec"]!["containers"]![0]!["env"]!.ToJsonString();
            await container.Stdout.WriteLineAsync("argv: " + string.Join(' ', container.Command));
            var input = await container.Stdin.ReadToEndAsync(cancellationToken);
            await container.Stdout.WriteLineAsync("read: " + input.Trim());
            await container.Stderr.WriteLineAsync("a warning");
            return 3;
        });

        var run = await KubectlKuroku("print(42)\n", "run", "hello", "-n", PlaygroundSession.Namespace, "--", "python", "-c", "import sys; exec(sys.stdin.read())");

        run.Code.Should().Be(3, $"the one-off process exited with 3 (stderr: {run.Err})");
        run.Out.Should().Be("argv: python -c import sys; exec(sys.stdin.read())\nread: print(42)\n");
        run.Err.Should().Contain("Running python -c \"import sys; exec(sys.stdin.read())\" on hello... up, run.1 (")
            .And.Contain("release v1)").And.Contain("a warning");
        env.Should().Contain("\"GREETING\"").And.Contain("\"hi\"", "the release's config vars reach the one-off process");
        await Eventually(async () => (await PodsAsync("kuroku.dev/run")).Count == 0, "the attached run's pod deleted");
        (await _cluster.GetAsync("hello")).Status!.Release.Should().Be(1, "a one-off process makes no release");
    }

    [Fact]
    public async Task Run_detached_starts_a_job_that_ps_and_logs_name_run_1()
    {
        await CreateHelloAsync(a => a.Spec.Processes["web"].Size = "standard-2x");

        var run = await Kuroku("run", "hello", "--detach", "--", "rake", "db:seed");

        Succeeded(run);
        run.Out.Should().Be("job/hello-run-1\n");
        run.Err.Should().Contain("up, run.1 (standard-2x, release v1)").And.Contain("kubectl kuroku logs hello -n default -p run.1 -f");
        var job = (await _cluster.JobAsync("hello-run-1"))!;
        job.Spec.TtlSecondsAfterFinished.Should().Be(3600);
        job.Spec.BackoffLimit.Should().Be(0);
        job.Spec.Template.Metadata.Labels.Should().Contain("kuroku.dev/run", "1").And.Contain("app.kubernetes.io/part-of", "hello");
        var container = job.Spec.Template.Spec.Containers.Single();
        container.Command.Should().Equal("rake", "db:seed");
        container.Image.Should().Be("ghcr.io/acme/hello:1.0.0");
        job.Spec.Template.Spec.SecurityContext.RunAsNonRoot.Should().BeTrue();

        await Eventually(async () => (await PodsAsync("kuroku.dev/run=1")).Any(p => p.Status?.Phase == "Succeeded"), "run.1 finished");
        var ps = await Kuroku("ps", "hello");
        Succeeded(ps);
        ps.Out.Should().MatchRegex(@"\nONE-OFF +STATUS +AGE +COMMAND\nrun\.1 +Completed +\S+ +rake db:seed\n");
        var logs = await Kuroku("logs", "hello", "-p", "run.1");
        Succeeded(logs);
        Lines(logs.Out).Should().Equal(
            ("run.1", "Starting process with command `rake db:seed` (simulated: the playground runs no containers)"),
            ("run.1", "Process exited with status 0"));

        var second = await Kuroku("run:detached", "hello", "--", "rake", "db:seed");
        Succeeded(second);
        second.Out.Should().Be("job/hello-run-2\n", "a second run takes the next number");
    }

    [Fact]
    public async Task Logs_merge_every_pod_of_the_app_named_like_dynos_and_follow_new_pods()
    {
        await CreateHelloAsync(a => a.Spec.Release = new ReleasePhaseSpec { Command = ["python", "manage.py", "migrate"] });
        await Eventually(async () => await RunningAsync("web") && await RunningAsync("worker"), "web and worker running");

        var logs = await Kuroku("logs", "hello");

        Succeeded(logs);
        var lines = Lines(logs.Out);
        lines.Should().HaveCount(logs.Out.Count(c => c == '\n'), "every line is stamped and named:\n" + logs.Out);
        lines.Should().Contain(("web.1", "Starting process with command `gunicorn hello.wsgi --bind 0.0.0.0:$(PORT)` (simulated: the playground runs no containers)"))
            .And.Contain(("worker.1", "Starting process with command `celery worker` (simulated: the playground runs no containers)"))
            .And.Contain(("release.v1", "Process exited with status 0"));
        var tail = await Kuroku("logs", "hello", "--tail", "1", "-p", "worker");
        Succeeded(tail);
        Lines(tail.Out).Should().Equal(("worker.1", "Starting process with command `celery worker` (simulated: the playground runs no containers)"));
        var unknown = await Kuroku("logs", "hello", "-p", "clock");
        unknown.Code.Should().Be(Plugin.Failed);
        unknown.Err.Should().Contain("hello has no process \"clock\" (-p); its processes: web, worker");

        // Following the web process through a restart: the new pod's lines come too.
        using var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var stop = new CancellationTokenSource();
        var following = KurokuAsync(["logs", "hello", "-p", "web", "-f", "--tail", "0"], synchronized, stop.Token);
        var before = (await PodsAsync("app.kubernetes.io/component=web")).Select(p => p.Metadata.Name).ToList();
        Succeeded(await Kuroku("restart", "hello", "web"));
        await Eventually(async () => (await PodsAsync("app.kubernetes.io/component=web")).Any(p => !before.Contains(p.Metadata.Name) && p.Status?.Phase == "Running"), "a new web pod");
        // SyncTextWriter locks on itself: reading under that lock reads no half-written line.
        string Followed()
        {
            lock (synchronized)
            {
                return output.ToString();
            }
        }

        for (var waited = 0; waited < 200 && !Lines(Followed()).Any(l => l.Text.StartsWith("Starting process", StringComparison.Ordinal)); waited++)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        var followed = await following;

        followed.Code.Should().Be(Plugin.Interrupted, followed.Err);
        Lines(Followed()).Should().ContainSingle($"--tail 0 shows none of the old lines, and the new pod's first line comes (stderr: {followed.Err})")
            .Which.Should().Match<(string Source, string Text)>(l => l.Source.StartsWith("web.") && l.Text.StartsWith("Starting process"));
    }

    [Fact]
    public async Task Restart_rolls_the_pods_of_a_process_through_the_spec_without_a_release()
    {
        await CreateHelloAsync();
        await Eventually(async () => await RunningAsync("web") && await RunningAsync("worker"), "web and worker running");
        var web = (await PodsAsync("app.kubernetes.io/component=web")).Select(p => p.Metadata.Name).ToList();
        var worker = (await PodsAsync("app.kubernetes.io/component=worker")).Select(p => p.Metadata.Name).ToList();

        var run = await Kuroku("restart", "hello", "worker");

        Succeeded(run);
        run.Out.Should().StartWith("Restarting worker of hello");
        var app = await _cluster.GetAsync("hello");
        app.Spec.Processes["worker"].RestartedAt.Should().NotBeNull("the restart is in the spec, for git and kubectl get -o yaml");
        app.Spec.Processes["web"].RestartedAt.Should().BeNull();
        await Eventually(async () =>
        {
            var pods = await PodsAsync("app.kubernetes.io/component=worker");
            return pods.Count > 0 && pods.All(p => !worker.Contains(p.Metadata.Name) && p.Status?.Phase == "Running");
        }, "the worker's pods replaced");
        (await PodsAsync("app.kubernetes.io/component=web")).Select(p => p.Metadata.Name).Should().Equal(web, "web was not restarted");
        (await _cluster.GetAsync("hello")).Status!.Release.Should().Be(1, "a restart makes no release");

        var unknown = await Kuroku("restart", "hello", "clock");
        unknown.Code.Should().Be(Plugin.Failed);
        unknown.Err.Should().Be("error: hello has no process \"clock\"; its processes: web, worker\n");
    }

    [Fact]
    public async Task A_scheduled_process_becomes_a_cronjob_that_ps_and_kubectl_get_show()
    {
        await CreateHelloAsync(a => a.Spec.Processes["cleanup"] = new ProcessSpec
        {
            Command = ["python", "manage.py", "clearsessions"],
            Schedule = "*/10 * * * *",
            TimeZone = "Europe/Paris",
        });

        await Eventually(async () => (await _cluster.Client.BatchV1.ListNamespacedCronJobAsync(PlaygroundSession.Namespace)).Items.Any(), "the CronJob");
        var cronJob = await _cluster.Client.BatchV1.ReadNamespacedCronJobAsync("hello-cleanup", PlaygroundSession.Namespace);
        cronJob.Spec.Schedule.Should().Be("*/10 * * * *");
        cronJob.Spec.TimeZone.Should().Be("Europe/Paris");
        cronJob.Spec.ConcurrencyPolicy.Should().Be("Forbid");
        cronJob.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Image.Should().Be("ghcr.io/acme/hello:1.0.0");
        (await _cluster.DeploymentAsync("hello-cleanup")).Should().BeNull("a scheduled process is not a Deployment");

        var ps = await Kuroku("ps", "hello");
        Succeeded(ps);
        ps.Out.Should().MatchRegex(@"\nSCHEDULED +SCHEDULE +TIMEZONE +SIZE +COMMAND +LAST RUN\ncleanup +\*/10 \* \* \* \* +Europe/Paris +\S+ +python manage.py clearsessions +-\n");
        using var kubectl = _cluster.Kubectl();
        await Eventually(async () => (await kubectl.RunAsync("get", "webapps", "-n", PlaygroundSession.Namespace)).StdOut.Contains("cleanup", StringComparison.Ordinal), "kubectl get webapps shows the schedule");
        var get = (await kubectl.RunAsync("get", "webapps", "-n", PlaygroundSession.Namespace)).EnsureSuccess();
        get.StdOut.Should().Contain("cleanup (*/10 * * * * Europe/Paris)");
        (await kubectl.RunAsync("get", "cronjobs", "-n", PlaygroundSession.Namespace)).EnsureSuccess().StdOut
            .Should().MatchRegex(@"hello-cleanup +\*/10 \* \* \* \* +Europe/Paris +False");

        var invalid = await Kuroku("restart", "hello", "cleanup");
        invalid.Code.Should().Be(Plugin.Failed);
        invalid.Err.Should().Contain("cleanup is a scheduled process of hello");
    }

    [Fact]
    public async Task Promote_copies_the_live_release_to_another_namespace_keeping_the_targets_config()
    {
        await _cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "staging" } });
        await _cluster.CreateAsync(Hello(a => a.Spec.Image = "ghcr.io/acme/hello:2.0.0"), "staging");
        await ReleaseAsync("hello", 1, "staging");
        await CreateHelloAsync(a => a.Spec.Env = [new V1EnvVar { Name = "GREETING", Value = "production" }]);

        var run = await Kuroku("promote", "staging/hello", "default/hello");

        Succeeded(run);
        run.Out.Should().StartWith("Promoting staging/hello v1 to default/hello");
        var target = await ReleaseAsync("hello", 2);
        target.Spec.Image.Should().Be("ghcr.io/acme/hello:2.0.0");
        target.Spec.Env.Should().ContainSingle(e => e.Name == "GREETING" && e.Value == "production", "the target keeps its own config vars");
        target.Metadata.Annotations.Should().Contain(ReleaseRevisions.PromotedFromAnnotation, "staging/hello v1");
        target.Status!.Releases![0].Reason.Should().Be("promoted from staging/hello v1");

        var itself = await Kuroku("promote", "hello", "default/hello");
        itself.Code.Should().Be(Plugin.Failed);
        itself.Err.Should().Be("error: cannot promote default/hello to itself: name another app as the target\n");
    }

    [Fact]
    public async Task Run_refuses_an_unknown_app_and_an_app_without_a_live_release()
    {
        _cluster.Server.Containers.OnAttach(AttachedProcess.RunAsync);
        var unknown = await Kuroku("run", "nope", "--", "bash");
        unknown.Code.Should().Be(Plugin.Failed);
        unknown.Err.Should().Be("error: webapp \"nope\" not found in namespace \"default\"\n");

        await _cluster.CreateAsync(Hello(a =>
        {
            a.Spec.Release = new ReleasePhaseSpec { Command = ["false"] };
            a.Metadata.Annotations = new Dictionary<string, string> { [FailSwitch.Annotation] = "true" };
        }));
        await Eventually(async () => (await _cluster.GetAsync("hello")).Status?.Releases?.Count > 0, "the first release tried");

        var none = await Kuroku("run", "hello", "--", "bash");

        none.Code.Should().Be(Plugin.Failed);
        none.Err.Should().Contain("hello has no live release yet");
        (await PodsAsync("kuroku.dev/run")).Should().BeEmpty("nothing was started");
    }
}
