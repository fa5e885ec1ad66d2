using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuroku.Playground.Cluster;
using Kuroku.Playground.Cluster.Nodes;
using Kuroku.Testing.ApiServer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuroku.Playground.Tests.Cluster;

/// <summary>
/// The stand-ins alone (no operator) against the in-process API server, as kube-controller-manager and a kubelet
/// would act on objects a user creates: through the API only, watching and writing over HTTP.
/// </summary>
public sealed class StandInTests : IAsyncLifetime
{
    private const string Ns = "default";
    private KubeApiServer _server = null!;
    private ClusterStandIn _standIn = null!;
    private Kubernetes _client = null!;

    private static SimulationOptions Simulation { get; } = new() { PodStartDelay = TimeSpan.Zero, JobRunTime = TimeSpan.Zero, AutoscalerSyncPeriod = TimeSpan.FromSeconds(1) };

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _client = _server.CreateClient();
        _standIn = await ClusterStandIn.StartAsync(_server.ClientConfiguration(), Simulation, NullLoggerFactory.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _standIn.DisposeAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(25);
        }
    }

    private static V1Deployment Deployment(int replicas, string image = "ghcr.io/acme/hello:1.0.0") => new()
    {
        Metadata = new V1ObjectMeta { Name = "hello-web", NamespaceProperty = Ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "hello" } },
            Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = "0", MaxSurge = "1" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "hello" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
            },
        },
    };

    private async Task<List<V1Pod>> PodsAsync(string selector = "app=hello") =>
        [.. (await _client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector)).Items];

    private async Task<bool> RolledOutAsync(int replicas, string image)
    {
        var d = await _client.AppsV1.ReadNamespacedDeploymentAsync("hello-web", Ns);
        var pods = await PodsAsync();
        return d.Status.ObservedGeneration == d.Metadata.Generation && d.Status.UpdatedReplicas == replicas && d.Status.AvailableReplicas == replicas
            && (d.Status.Replicas ?? 0) == replicas && pods.Count == replicas && pods.All(p => p.Status.Phase == "Running" && p.Spec.Containers[0].Image == image);
    }

    [Fact]
    public async Task A_deployment_gets_a_replicaset_and_running_pods_and_reports_them_available()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(2), Ns);

        await Eventually(() => RolledOutAsync(2, "ghcr.io/acme/hello:1.0.0"), "two running pods and an available Deployment");

        var d = await _client.AppsV1.ReadNamespacedDeploymentAsync("hello-web", Ns);
        d.Status.ReadyReplicas.Should().Be(2);
        d.Status.Conditions.Should().Contain(c => c.Type == "Available" && c.Status == "True")
            .And.Contain(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable");
        d.Metadata.Annotations.Should().Contain("deployment.kubernetes.io/revision", "1");
        var rs = (await _client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items.Should().ContainSingle().Subject;
        rs.Metadata.OwnerReferences.Should().ContainSingle(o => o.Uid == d.Metadata.Uid);
        var pods = await PodsAsync();
        pods.Should().AllSatisfy(p =>
        {
            p.Metadata.Name.Should().StartWith(rs.Metadata.Name + "-");
            p.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "ReplicaSet" && o.Uid == rs.Metadata.Uid);
            p.Status.ContainerStatuses.Should().ContainSingle(c => c.Ready == true && c.State.Running != null);
        });
    }

    [Fact]
    public async Task Scaling_down_deletes_pods_and_a_new_template_replaces_every_pod()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(3), Ns);
        await Eventually(() => RolledOutAsync(3, "ghcr.io/acme/hello:1.0.0"), "three pods");

        await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "hello-web", Ns);
        await Eventually(() => RolledOutAsync(1, "ghcr.io/acme/hello:1.0.0"), "one pod");

        var d = await _client.AppsV1.ReadNamespacedDeploymentAsync("hello-web", Ns);
        d.Spec.Template.Spec.Containers[0].Image = "ghcr.io/acme/hello:2.0.0";
        await _client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "hello-web", Ns);
        await Eventually(() => RolledOutAsync(1, "ghcr.io/acme/hello:2.0.0"), "the new pod alone");

        var sets = (await _client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items;
        sets.Select(rs => (rs.Spec.Containers(), rs.Spec.Replicas)).Should().BeEquivalentTo(new[] { ("ghcr.io/acme/hello:1.0.0", (int?)0), ("ghcr.io/acme/hello:2.0.0", (int?)1) });
        (await _client.AppsV1.ReadNamespacedDeploymentAsync("hello-web", Ns)).Metadata.Annotations.Should().Contain("deployment.kubernetes.io/revision", "2");
    }

    private static V1Job Job(string name, int backoffLimit = 0, long? deadline = null, int? ttl = null, bool fail = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Ns,
            Annotations = fail ? new Dictionary<string, string> { [FailSwitch.Annotation] = "true" } : null,
        },
        Spec = new V1JobSpec
        {
            BackoffLimit = backoffLimit,
            ActiveDeadlineSeconds = deadline,
            TtlSecondsAfterFinished = ttl,
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "run", Image = "ghcr.io/acme/hello:1.0.0" }] } },
        },
    };

    private async Task<V1Job?> JobAsync(string name)
    {
        try
        {
            return await _client.BatchV1.ReadNamespacedJobAsync(name, Ns);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<V1JobCondition> FinishedAsync(string name)
    {
        V1JobCondition? finished = null;
        await Eventually(async () => (finished = (await JobAsync(name))?.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")) is not null, $"job {name} to finish");
        return finished!;
    }

    [Fact]
    public async Task A_job_runs_one_pod_to_completion()
    {
        await _client.BatchV1.CreateNamespacedJobAsync(Job("migrate"), Ns);

        (await FinishedAsync("migrate")).Type.Should().Be("Complete");

        var job = (await JobAsync("migrate"))!;
        (job.Status.Succeeded, job.Status.Failed, job.Status.Active).Should().Be((1, (int?)null, (int?)null));
        job.Status.CompletionTime.Should().BeOnOrAfter(job.Status.StartTime!.Value);
        var pod = (await PodsAsync($"job-name=migrate")).Should().ContainSingle().Subject;
        pod.Status.Phase.Should().Be("Succeeded");
        pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_job_asked_to_fail_retries_up_to_its_backoff_limit_then_fails()
    {
        await _client.BatchV1.CreateNamespacedJobAsync(Job("migrate", backoffLimit: 1, fail: true), Ns);

        var failed = await FinishedAsync("migrate");

        (failed.Type, failed.Reason).Should().Be(("Failed", "BackoffLimitExceeded"));
        (await JobAsync("migrate"))!.Status.Failed.Should().Be(2);
        (await PodsAsync("job-name=migrate")).Should().HaveCount(2).And.OnlyContain(p => p.Status.Phase == "Failed");
    }

    [Fact]
    public async Task A_job_past_its_deadline_fails_and_its_pod_is_deleted()
    {
        // A pod that would run for minutes.
        await _standIn.DisposeAsync();
        _standIn = await ClusterStandIn.StartAsync(_server.ClientConfiguration(), Simulation with { JobRunTime = TimeSpan.FromMinutes(5) }, NullLoggerFactory.Instance, CancellationToken.None);
        await _client.BatchV1.CreateNamespacedJobAsync(Job("slow", deadline: 1), Ns);
        await Eventually(async () => (await PodsAsync("job-name=slow")).Any(p => p.Status.Phase == "Running"), "the pod to run");

        var failed = await FinishedAsync("slow");

        (failed.Type, failed.Reason).Should().Be(("Failed", "DeadlineExceeded"));
        await Eventually(async () => (await PodsAsync("job-name=slow")).Count == 0, "the running pod to be deleted");
    }

    [Fact]
    public async Task A_finished_job_is_deleted_after_its_time_to_live()
    {
        await _client.BatchV1.CreateNamespacedJobAsync(Job("short-lived", ttl: 0), Ns);

        await Eventually(async () => await JobAsync("short-lived") is null, "the finished job to be deleted");
    }

    [Fact]
    public async Task An_autoscaler_brings_its_deployment_to_the_minimum()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(1), Ns);
        await _client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "hello-web", NamespaceProperty = Ns },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                MinReplicas = 3,
                MaxReplicas = 5,
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "hello-web" },
            },
        }, Ns);

        await Eventually(() => RolledOutAsync(3, "ghcr.io/acme/hello:1.0.0"), "three pods");
        await Eventually(async () => (await _client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("hello-web", Ns)).Status is { CurrentReplicas: 3, DesiredReplicas: 3 },
            "the autoscaler's status");
    }

    [Fact]
    public async Task A_cronjob_starts_the_run_that_is_due()
    {
        var cronJob = new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "report", NamespaceProperty = Ns },
            Spec = new V1CronJobSpec { Schedule = "* * * * *", Suspend = true, JobTemplate = new V1JobTemplateSpec { Spec = Job("unused").Spec } },
        };
        cronJob = await _client.BatchV1.CreateNamespacedCronJobAsync(cronJob, Ns);
        // A run was last scheduled two minutes ago: the minute since is due as soon as the CronJob is resumed.
        cronJob.Status = new V1CronJobStatus { LastScheduleTime = DateTime.UtcNow.AddMinutes(-2) };
        cronJob = await _client.BatchV1.ReplaceNamespacedCronJobStatusAsync(cronJob, "report", Ns);
        await _client.BatchV1.PatchNamespacedCronJobAsync(new V1Patch("""{"spec":{"suspend":false}}""", V1Patch.PatchType.MergePatch), "report", Ns);

        V1Job? run = null;
        await Eventually(async () => (run = (await _client.BatchV1.ListNamespacedJobAsync(Ns)).Items.SingleOrDefault()) is not null, "the run's job");
        run!.Metadata.Name.Should().MatchRegex("^report-[0-9]+$");
        run.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "CronJob" && o.Uid == cronJob.Metadata.Uid);
        (await FinishedAsync(run.Metadata.Name)).Type.Should().Be("Complete");
        await Eventually(async () => (await _client.BatchV1.ReadNamespacedCronJobAsync("report", Ns)).Status is { LastSuccessfulTime: not null, Active: null or { Count: 0 } },
            "the cronjob's status to show the finished run");
    }
}

internal static class ReplicaSetSpecs
{
    public static string Containers(this V1ReplicaSetSpec spec) => spec.Template.Spec.Containers[0].Image;
}
