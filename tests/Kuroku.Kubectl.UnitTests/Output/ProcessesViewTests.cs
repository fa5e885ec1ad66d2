using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Output;
using Kuroku.Kubectl.UnitTests.TestSupport;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.Output;

public sealed class ProcessesViewTests
{
    [Fact]
    public void Lists_web_first_with_desired_ready_updated_size_command_and_autoscaling()
    {
        var text = ProcessesView.Render(Apps.Shop());

        // web is autoscaled: its desired count is the autoscaler's (status), not spec.replicas (2).
        text.Should().Be(
            "PROCESS   REPLICAS   READY   UP-TO-DATE   SIZE          COMMAND                                     AUTOSCALING\n"
            + "web       4          3/4     4            standard-1x   gunicorn shop.wsgi --bind 0.0.0.0:$(PORT)   2-10 at 70% cpu\n"
            + "worker    1          1/1     0            standard-2x   celery -A shop worker                       -\n");
    }

    [Fact]
    public void Shows_spec_defaults_and_dashes_before_the_operator_reports()
    {
        var app = Apps.Shop();
        app.Status = null;
        app.Spec.Processes = new Dictionary<string, ProcessSpec> { ["clock"] = new() { Args = ["--every", "5 min"] } };

        ProcessesView.Render(app).Should().Be(
            "PROCESS   REPLICAS   READY   UP-TO-DATE   SIZE          COMMAND                              AUTOSCALING\n"
            + "clock     1          -       -            standard-1x   (image entrypoint) --every \"5 min\"   -\n");
    }

    [Fact]
    public void Scheduled_processes_and_one_off_runs_follow_in_tables_of_their_own()
    {
        var app = Apps.Shop();
        app.Spec.Processes.Remove("web");
        app.Spec.Processes["cleanup"] = new() { Command = ["cleanup"], Schedule = "0 3 * * *", TimeZone = "Europe/Paris" };
        app.Spec.Processes["report"] = new() { Command = ["report"], Schedule = "@hourly", Replicas = 0 };
        var cronJob = new V1CronJob
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app.kubernetes.io/component"] = "cleanup" } },
            Status = new V1CronJobStatus { LastScheduleTime = Apps.Now.UtcDateTime.AddHours(-9) },
        };
        var run = new V1Pod
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["kuroku.dev/run"] = "2" }, CreationTimestamp = Apps.Now.UtcDateTime.AddMinutes(-3) },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "run", Command = ["bash"] }] },
            Status = new V1PodStatus { Phase = "Running" },
        };

        var text = ProcessesView.Render(app, [cronJob], [run], Apps.Now);

        text.Should().Be(
            "PROCESS   REPLICAS   READY   UP-TO-DATE   SIZE          COMMAND                 AUTOSCALING\n"
            + "worker    1          1/1     0            standard-2x   celery -A shop worker   -\n"
            + "\n"
            + "SCHEDULED   SCHEDULE              TIMEZONE       SIZE          COMMAND   LAST RUN\n"
            + "cleanup     0 3 * * *             Europe/Paris   standard-1x   cleanup   9h ago\n"
            + "report      @hourly (suspended)   -              standard-1x   report    -\n"
            + "\n"
            + "ONE-OFF   STATUS    AGE   COMMAND\n"
            + "run.2     Running   3m    bash\n");
    }

    [Theory]
    [InlineData(null, null, "(image default)")]
    [InlineData(new[] { "sh", "-c", "echo \"hi\" && sleep 1" }, null, "sh -c \"echo \\\"hi\\\" && sleep 1\"")]
    [InlineData(new[] { "run" }, new[] { "" }, "run \"\"")]
    public void Quotes_words_that_need_it(string[]? command, string[]? args, string expected) =>
        ProcessesView.Command(command, args).Should().Be(expected);
}
