using System.Text;
using Kuroku.Api.Releases;
using Kuroku.Kubectl.Kube;
using Kuroku.Kubectl.UnitTests.TestSupport;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests;

/// <summary>run, logs, restart and promote through the plugin's entry point: what each writes, prints and exits with.</summary>
public sealed class VerbsCommandTests
{
    private readonly FakeCluster cluster = new();
    private readonly StringWriter stdout = new() { NewLine = "\n" };
    private readonly StringWriter stderr = new() { NewLine = "\n" };

    public VerbsCommandTests()
    {
        var shop = Apps.Shop();
        shop.Metadata.Uid = "uid-shop";
        cluster.Apps[("shop", "shop")] = shop;
        cluster.Revisions[("shop", "shop-v7")] = Revision("shop", 7, "registry.example.com/acme/shop:1.4.2");
    }

    private static V1ControllerRevision Revision(string app, int version, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{app}-v{version}", Labels = new Dictionary<string, string> { [ReleaseRevisions.AppLabel] = app } },
        Revision = version,
        Data = KubernetesJson.Serialize(new ReleaseSnapshot
        {
            Image = image,
            Env = [new V1EnvVar { Name = "DEBUG", Value = "0" }],
            Processes = new SortedDictionary<string, ProcessCommand>(StringComparer.Ordinal) { ["web"] = new() { Command = ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:$(PORT)"] } },
            ConfigHash = "abc",
        }),
    };

    private Task<int> Run(params string[] args) =>
        Plugin.RunAsync(args, stdout, stderr, new Terminal(new MemoryStream(Encoding.UTF8.GetBytes("1+1\n")), isTerminal: false),
            _ => cluster, new FixedClock(Apps.Now), CancellationToken.None);

    /// <summary>The kubelet's part: the pod runs as soon as it is created.</summary>
    private void PodsStart() => cluster.OnCreatePod = pod => pod.Status = new V1PodStatus
    {
        Phase = "Running",
        ContainerStatuses = [new V1ContainerStatus { Name = "run", State = new V1ContainerState { Running = new V1ContainerStateRunning() } }],
    };

    [Fact]
    public async Task Run_detach_creates_run_1_as_a_job_and_prints_its_name()
    {
        var code = await Run("run:detached", "shop", "--size", "performance-m", "--", "rake", "db:seed");

        code.Should().Be(0, stderr.ToString());
        stdout.ToString().Should().Be("job/shop-run-1\n");
        stderr.ToString().Should().Be("Running rake db:seed on shop... up, run.1 (performance-m, release v7)\n"
            + "See its output with: kubectl kuroku logs shop -n shop -p run.1 -f\n");
        var job = cluster.Jobs.Should().ContainSingle().Subject;
        job.Spec.Template.Spec.Containers.Single().Image.Should().Be("registry.example.com/acme/shop:1.4.2");
        job.Spec.Template.Spec.Containers.Single().Resources.Requests["cpu"].ToString().Should().Be("2");
        cluster.Pods.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_attached_streams_the_process_output_exits_with_its_code_and_deletes_the_pod()
    {
        PodsStart();
        var connection = new ScriptedConnection(
            new ChannelFrame(Channels.Stdout, Encoding.UTF8.GetBytes("2\n")),
            new ChannelFrame(Channels.Stderr, Encoding.UTF8.GetBytes("oops\n")),
            new ChannelFrame(Channels.Error, Encoding.UTF8.GetBytes("""{"metadata":{},"status":"Success"}""")));
        cluster.Attach = pod =>
        {
            // The container exits with 3, as the pod's status says once the session ends.
            cluster.Pods[("shop", pod)].Status.ContainerStatuses[0].State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 3 } };
            return connection;
        };

        var code = await Run("run", "shop", "--", "python", "-i");

        code.Should().Be(3);
        stdout.ToString().Should().Be("2\n");
        stderr.ToString().Should().Be("Running python -i on shop... up, run.1 (standard-1x, release v7)\noops\n");
        connection.Stdin.ToString().Should().Be("1+1\n", "stdin was sent on channel 0");
        cluster.DeletedPods.Should().Equal(("shop", "shop-run-1"));
    }

    [Fact]
    public async Task Run_takes_the_next_free_number()
    {
        cluster.Jobs.Add(new V1Job { Metadata = new V1ObjectMeta { Name = "shop-run-4", NamespaceProperty = "shop", Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "shop", ["kuroku.dev/run"] = "4" } } });

        (await Run("run", "shop", "-d", "--", "bash")).Should().Be(0);

        stdout.ToString().Should().Be("job/shop-run-5\n");
    }

    [Fact]
    public async Task Run_without_a_live_release_or_without_a_command_changes_nothing()
    {
        cluster.Apps[("shop", "shop")].Status!.Release = null;

        var noRelease = await Run("run", "shop", "--", "bash");
        var noCommand = await Run("run", "shop");
        var flag = await Run("run", "shop", "ls", "-la");

        noRelease.Should().Be(Plugin.Failed);
        noCommand.Should().Be(Plugin.BadUsage);
        flag.Should().Be(Plugin.BadUsage);
        stderr.ToString().Should().StartWith("error: shop has no live release yet (status.release is empty)")
            .And.Contain("error: run needs a COMMAND to run (after --)")
            .And.Contain("error: unknown flag: -l (put the command after \"--\" so that its flags are its own)");
        (cluster.Pods.Count, cluster.Jobs.Count).Should().Be((0, 0));
    }

    [Fact]
    public async Task Logs_prints_every_pods_lines_merged_and_named()
    {
        V1Pod Pod(string name, string component, string? run = null)
        {
            var labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "shop", ["app.kubernetes.io/managed-by"] = run is null ? "kuroku" : "kubectl-kuroku", ["app.kubernetes.io/component"] = component };
            if (run is not null)
            {
                labels["kuroku.dev/run"] = run;
            }

            return new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", Labels = labels, CreationTimestamp = Apps.Now.UtcDateTime },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = component }] },
                Status = new V1PodStatus { ContainerStatuses = [new V1ContainerStatus { Name = component, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated() } }] },
            };
        }

        cluster.Pods[("shop", "shop-web-a")] = Pod("shop-web-a", "web");
        cluster.Pods[("shop", "shop-run-2")] = Pod("shop-run-2", "run", "2");
        cluster.Logs["shop-web-a"] = ["2025-06-01T12:00:01Z booted", "2025-06-01T12:00:03Z GET /"];
        cluster.Logs["shop-run-2"] = ["2025-06-01T12:00:02Z migrating"];

        var code = await Run("logs", "shop");
        var tail = await Run("logs", "shop", "--tail", "1", "-p", "web");

        (code, tail).Should().Be((0, 0), stderr.ToString());
        stdout.ToString().Should().Be(
            "2025-06-01T12:00:01.000000+00:00 app[web.1]: booted\n"
            + "2025-06-01T12:00:02.000000+00:00 app[run.2]: migrating\n"
            + "2025-06-01T12:00:03.000000+00:00 app[web.1]: GET /\n"
            + "2025-06-01T12:00:03.000000+00:00 app[web.1]: GET /\n");
    }

    [Fact]
    public async Task Restart_patches_restartedAt_and_promote_to_itself_is_refused()
    {
        var restart = await Run("restart", "shop", "web");
        var itself = await Run("promote", "shop", "shop/shop");

        restart.Should().Be(0);
        cluster.Patches.Should().ContainSingle().Which.Patch.Body.Should().Be("""{"spec":{"processes":{"web":{"restartedAt":"2025-06-01T12:00:00Z"}}}}""");
        itself.Should().Be(Plugin.Failed);
        stderr.ToString().Should().Be("error: cannot promote shop/shop to itself: name another app as the target\n");
    }

    [Fact]
    public async Task Promote_reads_the_sources_live_release_and_patches_the_target_once()
    {
        var staging = Apps.Shop();
        staging.Metadata.NamespaceProperty = "staging";
        staging.Status!.Release = 12;
        cluster.Apps[("staging", "shop")] = staging;
        cluster.Revisions[("staging", "shop-v12")] = Revision("shop", 12, "registry.example.com/acme/shop:2.0.0");

        var code = await Run("promote", "staging/shop", "shop", "-n", "shop");

        code.Should().Be(0, stderr.ToString());
        var patch = cluster.Patches.Should().ContainSingle().Subject;
        (patch.Ns, patch.Name).Should().Be(("shop", "shop"));
        patch.Patch.Body.Should().Contain("\"kuroku.dev/promoted-from\":\"staging/shop v12\"").And.Contain("\"image\":\"registry.example.com/acme/shop:2.0.0\"");
    }

    [Fact]
    public async Task Every_new_command_has_help()
    {
        foreach (var command in new[] { "run", "run:detached", "logs", "restart", "promote" })
        {
            (await Run(command, "--help")).Should().Be(0, command);
        }

        stdout.ToString().Should().Contain("kubectl kuroku run APP [--size SIZE] [--detach] [--no-tty] -- COMMAND [ARGS...]")
            .And.Contain("kubectl kuroku logs APP [-p PROCESS] [--tail N] [-f]")
            .And.Contain("kubectl kuroku restart APP [PROCESS]")
            .And.Contain("kubectl kuroku promote [NAMESPACE/]SOURCE [NAMESPACE/]TARGET");
    }

    /// <summary>A connection that hands out the frames given, then ends; records what was sent on stdin.</summary>
    private sealed class ScriptedConnection(params ChannelFrame[] frames) : IChannelConnection
    {
        private readonly Queue<ChannelFrame> _frames = new(frames);

        public StringBuilder Stdin { get; } = new();

        public bool CanCloseStdin => true;

        public Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (channel == Channels.Stdin)
            {
                Stdin.Append(Encoding.UTF8.GetString(data.Span));
            }

            return Task.CompletedTask;
        }

        public Task CloseChannelAsync(byte channel, CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<ChannelFrame?> ReceiveAsync(CancellationToken cancellationToken)
        {
            // Let stdin reach the "container" before it answers.
            await Task.Delay(50, cancellationToken);
            return _frames.TryDequeue(out var frame) ? frame : null;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
