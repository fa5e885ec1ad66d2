using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Changes;

public sealed class ScaleChangeTests
{
    private static WebApp ShopWithoutAutoscaling()
    {
        var app = Apps.Shop();
        app.Spec.Processes["web"].Autoscaling = null;
        return app;
    }

    [Theory]
    [InlineData(new[] { "web=3" }, """{"spec":{"processes":{"web":{"replicas":3}}}}""", "Scaling shop: web 2 -> 3")]
    [InlineData(new[] { "web=3", "worker=0" }, """{"spec":{"processes":{"web":{"replicas":3},"worker":{"replicas":0}}}}""", "Scaling shop: web 2 -> 3, worker 1 -> 0")]
    [InlineData(new[] { "worker=1:performance-m" }, """{"spec":{"processes":{"worker":{"size":"performance-m"}}}}""", "Scaling shop: worker 1 (standard-2x -> performance-m)")]
    [InlineData(new[] { "web=2", "worker=4" }, """{"spec":{"processes":{"worker":{"replicas":4}}}}""", "Scaling shop: worker 1 -> 4")]
    public void Merge_patches_only_the_replicas_and_sizes_that_change(string[] args, string patch, string summary)
    {
        var change = ScaleChange.Plan(ShopWithoutAutoscaling(), ScaleChange.Parse(args));

        change.Patch.Should().Be(new WebAppPatch(PatchKind.Merge, patch));
        change.Summary.Should().Be(summary);
    }

    [Fact]
    public void Writes_the_default_explicitly_when_replicas_was_absent()
    {
        var app = ShopWithoutAutoscaling();
        app.Spec.Processes["worker"].Replicas = null;

        ScaleChange.Plan(app, ScaleChange.Parse(["worker=1"])).Patch!.Body
            .Should().Be("""{"spec":{"processes":{"worker":{"replicas":1}}}}""");
    }

    [Fact]
    public void Changes_nothing_when_the_app_already_runs_that()
    {
        var change = ScaleChange.Plan(ShopWithoutAutoscaling(), ScaleChange.Parse(["web=2", "worker=1"]));

        change.Patch.Should().BeNull();
        change.Summary.Should().Be("shop already runs web=2, worker=1; nothing changed");
    }

    [Fact]
    public void Refuses_an_autoscaled_process_and_says_how_to_change_its_bounds()
    {
        var plan = () => ScaleChange.Plan(Apps.Shop(), ScaleChange.Parse(["worker=2", "web=12"]));

        var message = plan.Should().Throw<CommandException>().Which.Message;
        message.Should().StartWith("process web of shop is autoscaled (spec.processes.web.autoscaling: 2-10 replicas)");
        message.Should().Contain("spec.processes.web.autoscaling.minReplicas/maxReplicas");
        message.Should().Contain("""kubectl patch webapp shop --type merge -p '{"spec":{"processes":{"web":{"autoscaling":{"minReplicas":12,"maxReplicas":12}}}}}'""");
    }

    [Fact]
    public void Names_the_processes_when_one_is_unknown()
    {
        var plan = () => ScaleChange.Plan(ShopWithoutAutoscaling(), ScaleChange.Parse(["wrker=1"]));

        plan.Should().Throw<CommandException>().WithMessage("shop has no process \"wrker\"; its processes: web, worker");
    }

    [Theory]
    [InlineData("web", "\"web\" is not PROCESS=N")]
    [InlineData("=3", "\"=3\" is not PROCESS=N")]
    [InlineData("web=-1", "the replica count of web must be a whole number of 0 or more")]
    [InlineData("web=two", "the replica count of web must be a whole number of 0 or more")]
    [InlineData("web=1:huge", "unknown size \"huge\" for web; sizes: eco, basic, standard-1x")]
    public void Refuses_malformed_arguments(string argument, string message)
    {
        var parse = () => ScaleChange.Parse([argument]);

        parse.Should().Throw<CommandException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Refuses_a_process_given_twice()
    {
        var parse = () => ScaleChange.Parse(["web=1", "web=2"]);

        parse.Should().Throw<CommandException>().WithMessage("process web is given twice");
    }
}
