using System.Net;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Registry;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// A Job's /status is checked as kube-apiserver checks it (pkg/apis/batch/validation validateJobStatus and
/// ValidateJobStatusUpdate, with the options of pkg/registry/batch/job/strategy.go): each rule refuses the
/// status it is about, and the status a Job controller writes passes.
/// </summary>
public sealed class JobStatusRulesTests : ApiServerTest
{
    private const string Start = "2025-06-01T12:00:00Z";
    private const string Later = "2025-06-01T12:01:00Z";

    private static JsonObject Job(string? status = null, string spec = """{"completions":1,"parallelism":1,"completionMode":"NonIndexed","suspend":false}""") =>
        JsonNode.Parse($$"""{"spec":{{spec}},"status":{{status ?? "{}"}}}""")!.AsObject();

    private static string Conditions(params string[] types) =>
        "[" + string.Join(",", types.Select(t => $$"""{"type":"{{t}}","status":"True"}""")) + "]";

    private static IEnumerable<string> Errors(JsonObject before, JsonObject after) =>
        JobStatusRules.Validate(before, after).Select(e => e.ToString());

    [Fact]
    public void What_a_job_controller_writes_passes()
    {
        var running = Job($$"""{"active":1,"ready":1,"startTime":"{{Start}}"}""");
        var complete = Job($$"""{"succeeded":1,"startTime":"{{Start}}","completionTime":"{{Later}}","conditions":{{Conditions("SuccessCriteriaMet", "Complete")}}}""");
        var failed = Job($$"""{"failed":1,"startTime":"{{Start}}","conditions":{{Conditions("FailureTarget", "Failed")}}}""");

        Errors(Job(), running).Should().BeEmpty();
        Errors(running, complete).Should().BeEmpty();
        Errors(running, failed).Should().BeEmpty();
        Errors(complete, complete).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"active":1,"succeeded":1,"startTime":"2025-06-01T12:00:00Z","completionTime":"2025-06-01T12:01:00Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}""",
        "status.active: Invalid value: 1: active>0 is invalid for finished job")]
    [InlineData("""{"succeeded":1,"completionTime":"2025-06-01T12:01:00Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}""",
        "status.startTime: Required value: startTime is required for finished job")]
    [InlineData("""{"succeeded":1,"startTime":"2025-06-01T12:00:00Z","completionTime":"2025-06-01T12:01:00Z","conditions":[{"type":"Complete","status":"True"}]}""",
        "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition")]
    [InlineData("""{"failed":1,"startTime":"2025-06-01T12:00:00Z","conditions":[{"type":"Failed","status":"True"}]}""",
        "status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition")]
    [InlineData("""{"succeeded":1,"startTime":"2025-06-01T12:00:00Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}""",
        "status.completionTime: Required value: completionTime is required for Complete jobs")]
    [InlineData("""{"succeeded":1,"startTime":"2025-06-01T12:01:00Z","completionTime":"2025-06-01T12:00:00Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}""",
        "status.completionTime: Invalid value: \"2025-06-01T12:00:00Z\": completionTime cannot be set before startTime")]
    [InlineData("""{"startTime":"2025-06-01T12:00:00Z","completionTime":"2025-06-01T12:01:00Z"}""",
        "status.completionTime: Invalid value: \"2025-06-01T12:01:00Z\": cannot set completionTime when there is no Complete=True condition")]
    [InlineData("""{"startTime":"2025-06-01T12:00:00Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"FailureTarget","status":"True"}]}""",
        "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and FailureTarget=true conditions")]
    [InlineData("""{"active":1,"ready":2,"startTime":"2025-06-01T12:00:00Z"}""",
        "status.ready: Invalid value: 2: cannot set more ready pods than active")]
    [InlineData("""{"active":-1}""", "status.active: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"completedIndexes":"0"}""", "status.completedIndexes: Invalid value: \"0\": cannot set non-empty completedIndexes when non-indexed completion mode")]
    public void Each_rule_refuses_its_status(string status, string error)
    {
        Errors(Job(), Job(status)).Should().Contain(error);
    }

    [Fact]
    public void Transitions_are_checked_against_the_old_status()
    {
        var started = Job($$"""{"active":1,"succeeded":2,"failed":1,"startTime":"{{Start}}"}""");
        var complete = Job($$"""{"succeeded":1,"startTime":"{{Start}}","completionTime":"{{Later}}","conditions":{{Conditions("SuccessCriteriaMet", "Complete")}}}""");

        Errors(started, Job($$"""{"active":1,"succeeded":2,"failed":1,"startTime":"{{Later}}"}""")).Should().Contain("status.startTime: Required value: startTime cannot be removed for unsuspended job");
        Errors(started, Job($$"""{"active":1,"succeeded":1,"failed":1,"startTime":"{{Start}}"}""")).Should().Contain("status.succeeded: Invalid value: 1: cannot decrease the succeeded counter");
        Errors(started, Job($$"""{"active":1,"succeeded":2,"startTime":"{{Start}}"}""")).Should().Contain("status.failed: Invalid value: 0: cannot decrease the failed counter");
        Errors(complete, Job($$"""{"succeeded":1,"startTime":"{{Start}}"}""")).Should().Contain("status.conditions: Invalid value: cannot disable the terminal Complete=True condition");
        Errors(complete, Job($$"""{"succeeded":1,"startTime":"{{Start}}","completionTime":"2025-06-01T12:02:00Z","conditions":{{Conditions("SuccessCriteriaMet", "Complete")}}}"""))
            .Should().Contain("status.completionTime: Invalid value: \"2025-06-01T12:02:00Z\": completionTime cannot be mutated");
    }

    [Fact]
    public void A_rule_about_a_field_that_did_not_change_lets_an_unrelated_update_through()
    {
        // Already finished with active=1 (written before the rules): an update that changes only `ready` passes.
        var odd = Job($$"""{"active":1,"succeeded":1,"startTime":"{{Start}}","completionTime":"{{Later}}","conditions":{{Conditions("SuccessCriteriaMet", "Complete")}}}""");
        var touched = odd.DeepClone().AsObject();
        touched["status"]!["ready"] = 0;

        Errors(odd, touched).Should().BeEmpty();
    }

    [Fact]
    public async Task The_server_answers_422_to_a_finished_job_with_an_active_pod_and_a_changed_start_time()
    {
        var job = await Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "migrate" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "x:1" }] } } },
        }, "default");
        var start = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        job.Status = new V1JobStatus { Active = 1, StartTime = start };
        job = await Client.BatchV1.ReplaceNamespacedJobStatusAsync(job, "migrate", "default");

        job.Status = new V1JobStatus
        {
            Active = 1,
            Succeeded = 1,
            StartTime = start.AddMinutes(1),
            CompletionTime = start.AddMinutes(2),
            Conditions = [new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True" }, new V1JobCondition { Type = "Complete", Status = "True" }],
        };
        var write = () => Client.BatchV1.ReplaceNamespacedJobStatusAsync(job, "migrate", "default");

        var e = (await write.Should().ThrowAsync<HttpOperationException>()).Which;
        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var status = JsonNode.Parse(e.Response.Content)!;
        status["message"]!.GetValue<string>().Should().StartWith("Job.batch \"migrate\" is invalid: [");
        status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Should().Contain(["status.active", "status.startTime"]);

        job.Status.Active = 0;
        job.Status.StartTime = start;
        (await Client.BatchV1.ReplaceNamespacedJobStatusAsync(job, "migrate", "default")).Status.Succeeded.Should().Be(1, "the same status without the two faults is accepted");
    }
}
