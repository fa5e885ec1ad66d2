using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Output;
using Kuroku.Kubectl.UnitTests.TestSupport;

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

    [Theory]
    [InlineData(null, null, "(image default)")]
    [InlineData(new[] { "sh", "-c", "echo \"hi\" && sleep 1" }, null, "sh -c \"echo \\\"hi\\\" && sleep 1\"")]
    [InlineData(new[] { "run" }, new[] { "" }, "run \"\"")]
    public void Quotes_words_that_need_it(string[]? command, string[]? args, string expected) =>
        ProcessesView.Command(command, args).Should().Be(expected);
}
