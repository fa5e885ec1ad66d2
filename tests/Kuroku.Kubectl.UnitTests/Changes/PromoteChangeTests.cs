using Kuroku.Api.Releases;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Changes;

public sealed class PromoteChangeTests
{
    private static readonly AppRef Staging = new("staging", "shop");

    private static ReleaseSnapshot StagingV12() => new()
    {
        Image = "registry.example.com/acme/shop:2.0.0",
        Env = [new k8s.Models.V1EnvVar { Name = "DEBUG", Value = "1" }],
        Processes = new SortedDictionary<string, ProcessCommand>(StringComparer.Ordinal)
        {
            ["web"] = new() { Command = ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:$(PORT)"] },
            ["worker"] = new() { Command = ["celery", "-A", "shop", "worker", "-B"] },
            ["clock"] = new() { Command = ["clock"] },
        },
        ConfigHash = "abc",
    };

    [Fact]
    public void One_merge_patch_of_the_target_brings_image_and_commands_and_says_where_they_came_from()
    {
        var change = PromoteChange.Plan(Apps.Shop(), Staging, 12, StagingV12());

        // The source's config vars (DEBUG=1) are not in the patch: the target keeps its own.
        change.Patch.Should().Be(new WebAppPatch(PatchKind.Merge,
            """{"metadata":{"annotations":{"kuroku.dev/promoted-from":"staging/shop v12","kuroku.dev/promoted-image":"registry.example.com/acme/shop:2.0.0"}},"spec":{"image":"registry.example.com/acme/shop:2.0.0","processes":{"clock":{"command":["clock"],"args":null,"replicas":0},"worker":{"command":["celery","-A","shop","worker","-B"],"args":null}}}}"""));
        change.Summary.Should().Be("Promoting staging/shop v12 to shop/shop");
        change.Outcome.Should().Be("the operator will make release v9 of shop (promoted from staging/shop v12); its config vars stay its own");
        change.Notes.Should().Equal("process clock is new to shop/shop: added with 0 replicas; scale it (or give it a schedule) to run it");
    }

    [Fact]
    public void A_target_that_runs_the_same_image_and_commands_is_not_written()
    {
        var release = StagingV12();
        release.Image = Apps.Shop().Spec.Image;
        release.Processes = new SortedDictionary<string, ProcessCommand>(StringComparer.Ordinal)
        {
            ["web"] = new() { Command = ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:$(PORT)"] },
        };

        var change = PromoteChange.Plan(Apps.Shop(), Staging, 12, release);

        change.Patch.Should().BeNull();
        change.Summary.Should().Be("shop/shop already runs the image and commands of staging/shop v12; nothing changed");
    }

    [Theory]
    [InlineData("shop", "prod", "prod", "shop")]
    [InlineData("staging/shop", "prod", "staging", "shop")]
    public void An_app_is_named_with_or_without_its_namespace(string value, string defaultNamespace, string ns, string name) =>
        AppRef.Parse(value, defaultNamespace, "the source").Should().Be(new AppRef(ns, name));

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("Staging/shop")]
    [InlineData("staging/")]
    public void Anything_else_is_refused_naming_the_argument(string value)
    {
        var parse = () => AppRef.Parse(value, "prod", "the target");

        parse.Should().Throw<CommandException>().WithMessage($"\"{value}\" is not an app (the target): write APP, or NAMESPACE/APP, for example staging/shop");
    }
}
