using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Playground.Cluster.Batch;
using Kuroku.Testing.ApiServer.Registry;

namespace Kuroku.Playground.Tests.Cluster;

/// <summary>Every status the Job stand-in writes, in the order it writes them, passes kube-apiserver's Job status rules.</summary>
public sealed class JobStatusesTests
{
    private static readonly DateTime Start = Objects.Now;

    private static V1Job Job(V1JobStatus? status = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = "shop-release-v1", NamespaceProperty = "shop", Uid = "job-uid" },
        Spec = new V1JobSpec
        {
            BackoffLimit = 0,
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "release", Image = "x" }] } },
        },
        Status = status ?? new V1JobStatus(),
    };

    private static JsonObject Json(V1Job job) => JsonNode.Parse(KubernetesJson.Serialize(job))!.AsObject();

    /// <summary>Writes <paramref name="next"/> over <paramref name="job"/>'s status as the server would check it; returns the new job.</summary>
    private static V1Job Write(V1Job job, V1JobStatus next)
    {
        var updated = Job(next);
        JobStatusRules.Validate(Json(job), Json(updated)).Should().BeEmpty();
        return updated;
    }

    [Fact]
    public void Started_then_running_then_complete()
    {
        var job = Write(Job(), JobStatuses.Running(Job(), Start, active: 1, ready: 0, succeeded: 0, failed: 0));
        job = Write(job, JobStatuses.Running(job, Start, active: 1, ready: 1, succeeded: 0, failed: 0));
        job = Write(job, JobStatuses.Complete(job, Start, Start.AddSeconds(3), succeeded: 1, failed: 0));

        JobStatuses.IsFinished(job).Should().BeTrue();
        job.Status.Conditions.Select(c => (c.Type, c.Status, c.Reason)).Should().Equal(
            ("SuccessCriteriaMet", "True", "CompletionsReached"), ("Complete", "True", "CompletionsReached"));
        (job.Status.Active, job.Status.Ready, job.Status.Succeeded, job.Status.StartTime, job.Status.CompletionTime)
            .Should().Be(((int?)null, 0, 1, Start, Start.AddSeconds(3)));
        JobStatuses.FinishedAt(job).Should().Be(Start.AddSeconds(3));
    }

    [Theory]
    [InlineData(JobStatuses.BackoffLimitExceeded, "Job has reached the specified backoff limit")]
    [InlineData(JobStatuses.DeadlineExceeded, "Job was active longer than specified deadline")]
    public void Started_then_failed(string reason, string message)
    {
        var job = Write(Job(), JobStatuses.Running(Job(), Start, active: 1, ready: 1, succeeded: 0, failed: 0));
        job = Write(job, JobStatuses.Failed(job, Start, Start.AddSeconds(5), reason, succeeded: 0, failed: 1));

        JobStatuses.IsFinished(job).Should().BeTrue();
        job.Status.Conditions.Select(c => (c.Type, c.Reason, c.Message)).Should().Equal(("FailureTarget", reason, message), ("Failed", reason, message));
        job.Status.CompletionTime.Should().BeNull("only a Complete Job has a completionTime");
        job.Status.Failed.Should().Be(1);
    }

    [Fact]
    public void A_completion_time_never_comes_before_the_start_and_counters_never_go_down()
    {
        var job = Write(Job(), JobStatuses.Running(Job(), Start, 1, 0, succeeded: 0, failed: 2));

        var complete = JobStatuses.Complete(job, Start, Start.AddSeconds(-30), succeeded: 1, failed: 0);

        complete.CompletionTime.Should().Be(Start);
        complete.Failed.Should().Be(2);
        Write(job, complete);
    }
}
