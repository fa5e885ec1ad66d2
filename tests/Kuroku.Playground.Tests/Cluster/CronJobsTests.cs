using k8s.Models;
using Kuroku.Playground.Cluster.Batch;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class CronJobsTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 7, 30, DateTimeKind.Utc);

    private static V1CronJob CronJob(string schedule, DateTime created, DateTime? lastSchedule = null, long? startingDeadline = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Metadata = new V1ObjectMeta { Name = "shop-report", NamespaceProperty = "shop", Uid = "cj-uid", CreationTimestamp = created },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            StartingDeadlineSeconds = startingDeadline,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "shop" } },
                Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "report", Image = "x" }] } } },
            },
        },
        Status = new V1CronJobStatus { LastScheduleTime = lastSchedule },
    };

    [Fact]
    public void Only_the_latest_missed_run_is_due_and_the_next_one_follows()
    {
        var (due, next) = CronJobs.Schedule(CronJob("*/5 * * * *", created: Now.AddHours(-1)), Now);

        due.Should().Be(new DateTime(2026, 3, 1, 12, 5, 0, DateTimeKind.Utc));
        next.Should().Be(new DateTime(2026, 3, 1, 12, 10, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Nothing_is_due_when_the_last_run_was_scheduled_at_the_latest_time()
    {
        var (due, _) = CronJobs.Schedule(CronJob("*/5 * * * *", Now.AddHours(-1), lastSchedule: new DateTime(2026, 3, 1, 12, 5, 0, DateTimeKind.Utc)), Now);

        due.Should().BeNull();
    }

    [Fact]
    public void A_run_older_than_the_starting_deadline_is_not_started()
    {
        CronJobs.Schedule(CronJob("0 * * * *", Now.AddHours(-2), startingDeadline: 60), Now).Due.Should().BeNull();
        CronJobs.Schedule(CronJob("@hourly", Now.AddHours(-2)), Now).Due.Should().Be(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void The_run_s_job_is_named_after_its_minute_and_owned_by_the_cronjob()
    {
        var cronJob = CronJob("*/5 * * * *", Now);
        var scheduled = new DateTime(2026, 3, 1, 12, 5, 0, DateTimeKind.Utc);

        var job = CronJobs.JobFor(cronJob, scheduled);

        job.Metadata.Name.Should().Be($"shop-report-{(long)(scheduled - DateTime.UnixEpoch).TotalMinutes}");
        job.Metadata.Labels.Should().Contain("app", "shop");
        job.Metadata.Annotations[CronJobs.ScheduledTimestampAnnotation].Should().Be("2026-03-01T12:05:00Z");
        job.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "CronJob" && o.Uid == "cj-uid" && o.Controller == true);
        job.Spec.Template.Spec.Containers.Should().ContainSingle(c => c.Name == "report");
    }

    [Fact]
    public void Finished_jobs_beyond_the_history_limits_go_oldest_first()
    {
        static V1Job Finished(string name, string condition, int minute) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Status = new V1JobStatus
            {
                Conditions = [new V1JobCondition { Type = condition, Status = "True", LastTransitionTime = Now.AddMinutes(minute) }],
            },
        };

        var cronJob = CronJob("* * * * *", Now);
        cronJob.Spec.SuccessfulJobsHistoryLimit = 1;
        var jobs = new[] { Finished("ok-1", "Complete", 1), Finished("ok-2", "Complete", 2), Finished("bad-1", "Failed", 1), Finished("bad-2", "Failed", 3) };

        CronJobs.BeyondHistory(cronJob, jobs).Select(j => j.Metadata.Name).Should().Equal("ok-1", "bad-1");
    }
}
