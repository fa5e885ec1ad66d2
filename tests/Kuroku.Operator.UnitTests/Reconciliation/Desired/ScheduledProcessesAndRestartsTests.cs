using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.Reconciliation.Status;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Desired;

/// <summary>
/// Scheduled processes become CronJobs (and nothing a long-running process gets); restartedAt rolls a
/// process's pods through its pod template; neither is part of a release.
/// </summary>
public sealed class ScheduledProcessesAndRestartsTests
{
    private static WebApp WithCleanup(Action<ProcessSpec>? edit = null) => TestApps.Full().With(s =>
    {
        var cleanup = new ProcessSpec { Command = ["python", "manage.py", "clearsessions"], Schedule = "30 3 * * *", TimeZone = "Europe/Paris", Size = DynoSizes.Basic };
        edit?.Invoke(cleanup);
        s.Processes["cleanup"] = cleanup;
    });

    private static V1CronJob CronJob(WebApp app) =>
        DesiredState.Build(app, TestApps.Options).OfType<V1CronJob>().Single();

    [Fact]
    public void A_scheduled_process_is_a_cronjob_after_the_deployments_and_gets_no_deployment_or_autoscaler()
    {
        var children = DesiredState.Build(WithCleanup(e => e.Autoscaling = null), TestApps.Options);

        children.Select(c => $"{c.Kind}/{c.Metadata.Name}").Should().Equal(
            "ConfigMap/shop-router",
            "Service/shop",
            "Deployment/shop-web",
            "Deployment/shop-worker",
            "CronJob/shop-cleanup",
            "HorizontalPodAutoscaler/shop-web",
            "PodDisruptionBudget/shop-web",
            "Ingress/shop");
    }

    [Fact]
    public void The_cronjob_runs_the_process_like_heroku_scheduler_one_run_at_a_time_with_a_bounded_history()
    {
        var cronJob = CronJob(WithCleanup());

        cronJob.ApiVersion.Should().Be("batch/v1");
        cronJob.Metadata.OwnerReferences.Should().ContainSingle(r => r.Controller == true && r.Uid == "uid-shop");
        cronJob.Metadata.Labels.Should().Contain("app.kubernetes.io/component", "cleanup").And.Contain("app.kubernetes.io/managed-by", "kuroku");
        cronJob.Spec.Schedule.Should().Be("30 3 * * *");
        cronJob.Spec.TimeZone.Should().Be("Europe/Paris");
        cronJob.Spec.ConcurrencyPolicy.Should().Be("Forbid");
        cronJob.Spec.Suspend.Should().BeFalse();
        cronJob.Spec.SuccessfulJobsHistoryLimit.Should().Be(3);
        cronJob.Spec.FailedJobsHistoryLimit.Should().Be(1);
        var job = cronJob.Spec.JobTemplate.Spec;
        job.BackoffLimit.Should().Be(0, "a failed run is not retried: the next schedule is");
        job.Template.Metadata.Labels.Should().Contain("app.kubernetes.io/component", "cleanup");
        job.Template.Metadata.Annotations.Should().ContainKey(ReleaseHash.Annotation);
        var pod = job.Template.Spec;
        pod.RestartPolicy.Should().Be("Never");
        pod.AutomountServiceAccountToken.Should().BeFalse();
        pod.ImagePullSecrets.Should().ContainSingle(s => s.Name == "regcred");
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        var container = pod.Containers.Should().ContainSingle().Subject;
        container.Name.Should().Be("cleanup");
        container.Image.Should().Be("registry.example.com/acme/shop:1.4.2");
        container.Command.Should().Equal("python", "manage.py", "clearsessions");
        container.Env.Select(e => e.Name).Should().Equal("PORT", "WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL");
        container.EnvFrom.Should().ContainSingle(e => e.SecretRef.Name == "shop-secrets");
        container.Resources.Requests["cpu"].ToString().Should().Be("250m", "the basic size");
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        container.Ports.Should().BeNull();
        container.ReadinessProbe.Should().BeNull();
    }

    [Fact]
    public void Replicas_zero_suspends_the_schedule_and_no_time_zone_leaves_the_controllers()
    {
        var cronJob = CronJob(WithCleanup(e => { e.Replicas = 0; e.TimeZone = null; }));

        cronJob.Spec.Suspend.Should().BeTrue();
        cronJob.Spec.TimeZone.Should().BeNull();
    }

    [Fact]
    public void The_cronjob_runs_the_live_release_like_every_process()
    {
        var app = WithCleanup();
        var live = ReleasePlanner.Snapshot(app, null);
        app.Spec.Image = "registry.example.com/acme/shop:2.0.0";
        app.Spec.Processes["cleanup"].Command = ["python", "new.py"];

        var cronJob = DesiredState.Build(ReleaseView.For(app, live), TestApps.Options, live.ConfigHash).OfType<V1CronJob>().Single();

        var container = cronJob.Spec.JobTemplate.Spec.Template.Spec.Containers[0];
        container.Image.Should().Be("registry.example.com/acme/shop:1.4.2", "the live release's image, not the spec's");
        container.Command.Should().Equal("python", "manage.py", "clearsessions");
        cronJob.Spec.JobTemplate.Spec.Template.Metadata.Annotations[ReleaseHash.Annotation].Should().Be(live.ConfigHash);
        cronJob.Spec.Schedule.Should().Be("30 3 * * *", "the schedule is the spec's, as replicas are");
    }

    public static TheoryData<string, Action<ProcessSpec>> NotPartOfARelease => new()
    {
        { "schedule", p => p.Schedule = "*/5 * * * *" },
        { "time zone", p => p.TimeZone = "UTC" },
        { "suspension", p => p.Replicas = 0 },
        { "a restart", p => p.RestartedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) },
    };

    [Theory]
    [MemberData(nameof(NotPartOfARelease))]
    public void Schedules_and_restarts_make_no_release(string change, Action<ProcessSpec> edit)
    {
        var before = ReleasePlanner.Snapshot(WithCleanup(), "d").ConfigHash;

        var after = ReleasePlanner.Snapshot(WithCleanup(edit), "d").ConfigHash;

        after.Should().Be(before, change);
    }

    [Fact]
    public void RestartedAt_goes_into_the_pod_template_of_its_process_only()
    {
        var at = new DateTime(2026, 5, 1, 12, 30, 0, DateTimeKind.Utc);
        var app = TestApps.Full().With(s => s.Processes["worker"].RestartedAt = at);

        var deployments = DesiredState.Build(app, TestApps.Options).OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);

        deployments["shop-worker"].Spec.Template.Metadata.Annotations.Should().Contain(DeploymentBuilder.RestartedAtAnnotation, "2026-05-01T12:30:00Z");
        deployments["shop-web"].Spec.Template.Metadata.Annotations.Should().NotContainKey(DeploymentBuilder.RestartedAtAnnotation);
        deployments["shop-worker"].Metadata.Annotations.Should().BeNull("the Deployment's own metadata does not change, only its pods roll");
    }

    [Fact]
    public void A_new_restartedAt_changes_the_template_and_nothing_else_the_operator_owns()
    {
        var before = DesiredState.Build(TestApps.Full(), TestApps.Options);
        var after = DesiredState.Build(TestApps.Full().With(s => s.Processes["web"].RestartedAt = new DateTime(2026, 5, 1, 12, 30, 0, 500, DateTimeKind.Utc)), TestApps.Options);

        var changed = before.Zip(after).Where(pair => KubernetesJson.Serialize(pair.First) != KubernetesJson.Serialize(pair.Second)).Select(pair => pair.First).ToList();

        changed.Should().ContainSingle().Which.Metadata.Name.Should().Be("shop-web");
        var web = after.OfType<V1Deployment>().Single(d => d.Metadata.Name == "shop-web");
        web.Spec.Template.Metadata.Annotations[DeploymentBuilder.RestartedAtAnnotation].Should().Be("2026-05-01T12:30:00.5Z");
        ChildComparer.Differences(web, before.OfType<V1Deployment>().Single(d => d.Metadata.Name == "shop-web")).Should().Equal("spec.template");
    }

    [Fact]
    public void Status_counts_no_replicas_for_a_scheduled_process_and_shows_its_schedule()
    {
        var app = WithCleanup(e => e.Autoscaling = null);
        var deployments = new Dictionary<string, V1Deployment>
        {
            ["web"] = Rolled(2),
            ["worker"] = Rolled(1),
        };

        var status = StatusBuilder.Build(app, new OperatorOptions(), new Observation([], deployments, [], null), DateTime.UnixEpoch);

        status.Processes.Should().NotContainKey("cleanup");
        status.ProcessSummary.Should().Be("web 2/2, worker 1/1, cleanup (30 3 * * * Europe/Paris)");
        status.Conditions.Should().Contain(c => c.Type == Conditions.Ready && c.Status == "True", "a CronJob has nothing to become ready");
        StatusBuilder.Schedule(new ProcessSpec { Schedule = "@hourly", Replicas = 0 }).Should().Be("@hourly, suspended");
    }

    [Fact]
    public void A_promotion_names_where_the_release_came_from_once()
    {
        var app = TestApps.Full();
        var previous = ReleasePlanner.Snapshot(app, null);
        app.Metadata.Annotations = new Dictionary<string, string>
        {
            [ReleaseRevisions.PromotedFromAnnotation] = "staging/shop v12",
            [ReleaseRevisions.PromotedImageAnnotation] = "registry.example.com/acme/shop:2.0.0",
        };
        app.Spec.Image = "registry.example.com/acme/shop:2.0.0";
        var promoted = ReleasePlanner.Snapshot(app, null);

        ReleasePlanner.Reason(app, previous, promoted, []).Should().Be("promoted from staging/shop v12");

        app.Spec.Env = [.. app.Spec.Env!, new V1EnvVar { Name = "LATER", Value = "1" }];
        ReleasePlanner.Reason(app, promoted, ReleasePlanner.Snapshot(app, null), []).Should().Be("config vars changed",
            "a later release of the promoted image is an ordinary one");
        app.Spec.Image = "registry.example.com/acme/shop:2.0.1";
        ReleasePlanner.Reason(app, promoted, ReleasePlanner.Snapshot(app, null), []).Should().Be("image and config vars changed");
    }

    private static V1Deployment Rolled(int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Generation = 1 },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = replicas, UpdatedReplicas = replicas, ReadyReplicas = replicas, AvailableReplicas = replicas },
    };
}
