using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Runs;
using Kuroku.Kubectl.UnitTests.TestSupport;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.Runs;

public sealed class OneOffTests
{
    private static readonly ReleaseSnapshot V7 = new()
    {
        Image = "registry.example.com/acme/shop:1.4.2",
        Env = [new V1EnvVar { Name = "DEBUG", Value = "0" }, new V1EnvVar { Name = "PORT", Value = "9999" }],
        EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "shop-secrets" } }],
        ConfigHash = "abc",
    };

    private static OneOffRun Run(int number = 3)
    {
        var app = Apps.Shop();
        app.Metadata.Uid = "uid-1";
        app.Spec.Port = 5000;
        return new OneOffRun(app, 7, V7, ["python", "manage.py", "shell"], DynoSizes.Find("standard-2x")!, number);
    }

    [Fact]
    public void An_attached_run_is_a_pod_of_the_live_release_named_and_labelled_run_N_that_never_restarts()
    {
        var pod = OneOff.Pod(Run(), tty: true);

        pod.Metadata.Name.Should().Be("shop-run-3");
        pod.Metadata.NamespaceProperty.Should().Be("shop");
        pod.Metadata.Labels.Should().Contain("kuroku.dev/run", "3").And.Contain("app.kubernetes.io/part-of", "shop")
            .And.Contain("app.kubernetes.io/managed-by", "kubectl-kuroku");
        pod.Metadata.Annotations.Should().Contain("kuroku.dev/release", "7");
        pod.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "WebApp" && o.Uid == "uid-1" && o.Controller == false);
        pod.Spec.RestartPolicy.Should().Be("Never");
        pod.Spec.ActiveDeadlineSeconds.Should().Be(24 * 60 * 60);
        var container = pod.Spec.Containers.Single();
        (container.Stdin, container.StdinOnce, container.Tty).Should().Be((true, true, true));
        container.Image.Should().Be(V7.Image);
        container.Command.Should().Equal("python", "manage.py", "shell");
        container.Env.Select(e => $"{e.Name}={e.Value}").Should().Equal("PORT=5000", "WEB_CONCURRENCY=4", "DEBUG=0");
        container.EnvFrom.Should().ContainSingle(e => e.SecretRef.Name == "shop-secrets");
        container.Resources.Limits["memory"].ToString().Should().Be("1Gi");
        container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        pod.Spec.SecurityContext.RunAsNonRoot.Should().BeTrue();
    }

    [Fact]
    public void A_detached_run_is_a_job_tried_once_and_removed_an_hour_after_it_ends()
    {
        var job = OneOff.Job(Run());

        job.Metadata.Name.Should().Be("shop-run-3");
        job.Spec.BackoffLimit.Should().Be(0);
        job.Spec.TtlSecondsAfterFinished.Should().Be(3600);
        job.Spec.Template.Metadata.Labels.Should().Contain("kuroku.dev/run", "3");
        job.Spec.Template.Spec.Containers.Single().Stdin.Should().BeNull("nobody attaches to a detached run");
    }

    [Fact]
    public void The_next_number_is_one_more_than_the_highest_of_pods_and_jobs()
    {
        V1ObjectMeta Run(string? n) => new() { Labels = n is null ? null : new Dictionary<string, string> { ["kuroku.dev/run"] = n } };

        OneOff.NextNumber([]).Should().Be(1);
        OneOff.NextNumber([Run("2"), Run("7"), Run("x"), Run(null)]).Should().Be(8);
    }

    [Fact]
    public void The_size_is_the_one_asked_for_else_the_web_process_else_the_default()
    {
        var app = Apps.Shop();
        OneOff.SizeFor(app, "performance-m").Name.Should().Be("performance-m");
        OneOff.SizeFor(app, null).Name.Should().Be("standard-1x");
        app.Spec.Processes["web"].Size = "standard-2x";
        OneOff.SizeFor(app, null).Name.Should().Be("standard-2x");

        var unknown = () => OneOff.SizeFor(app, "huge");
        unknown.Should().Throw<CommandException>().WithMessage("unknown size \"huge\" (--size); sizes: eco, basic, standard-1x, standard-2x, performance-m, performance-l");
    }

    [Fact]
    public void An_app_without_a_live_release_is_refused_saying_so()
    {
        var app = Apps.Shop();
        app.Status!.Release = null;

        var version = () => LiveRelease.Version(app, "shop");

        version.Should().Throw<CommandException>().WithMessage("shop has no live release yet (status.release is empty)*");
    }

    [Theory]
    [InlineData("""{"metadata":{},"status":"Success"}""", 0, null, true)]
    [InlineData("""{"metadata":{},"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"42"}]}}""", 42, null, false)]
    [InlineData("""{"metadata":{},"status":"Failure","message":"container not found"}""", null, "container not found", false)]
    public void The_status_channel_says_success_an_exit_code_or_why_it_failed(string json, int? code, string? failure, bool success) =>
        RemoteStatus.Parse(json).Should().Be(new RemoteStatus(code, failure, success));
}
