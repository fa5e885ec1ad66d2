using Kuroku.Api.Releases;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.UnitTests.TestSupport;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.Changes;

public sealed class RollbackChangeTests
{
    private static ReleaseSnapshot V6() => new()
    {
        Image = "registry.example.com/acme/shop:1.4.1",
        Env = [new V1EnvVar { Name = "DEBUG", Value = "1" }],
        EnvFrom = null,
        Processes = new SortedDictionary<string, ProcessCommand>(StringComparer.Ordinal)
        {
            ["web"] = new() { Command = ["gunicorn", "shop.wsgi"], Args = ["--workers", "2"] },
            ["worker"] = new() { Command = null, Args = null },
            ["clock"] = new() { Command = ["clock"] },
        },
        ConfigHash = "abc",
    };

    [Fact]
    public void One_merge_patch_restores_image_config_and_commands_and_names_the_target()
    {
        var change = RollbackChange.Plan(Apps.Shop(), 6, V6());

        // Replicas, sizes and autoscaling are absent from the patch, so they stay; absent env/envFrom/command/args become null (removed).
        change.Patch.Should().Be(new WebAppPatch(PatchKind.Merge,
            """{"metadata":{"annotations":{"kuroku.dev/rollback-to":"6"}},"spec":{"image":"registry.example.com/acme/shop:1.4.1","env":[{"name":"DEBUG","value":"1"}],"envFrom":null,"processes":{"web":{"command":["gunicorn","shop.wsgi"],"args":["--workers","2"]},"worker":{"command":null,"args":null}}}}"""));
        change.Summary.Should().Be("Rolling back shop to v6");
        change.Outcome.Should().Be("the operator will make release v9 (rollback to v6)");
        change.Notes.Should().Equal("process clock of v6 is no longer in spec.processes; it is not added back");
    }

    [Fact]
    public void Leaves_processes_the_release_did_not_have_alone()
    {
        var release = V6();
        release.Processes.Remove("worker");

        var change = RollbackChange.Plan(Apps.Shop(), 6, release);

        change.Patch!.Body.Should().NotContain("\"worker\"");
        change.Notes.Should().Contain("process worker did not exist in v6; its command is left as it is");
    }

    [Theory]
    [InlineData("v6", 6)]
    [InlineData("V12", 12)]
    [InlineData("3", 3)]
    public void Reads_versions_with_or_without_v(string argument, int version) =>
        RollbackChange.ParseVersion(argument).Should().Be(version);

    [Theory]
    [InlineData("v0")]
    [InlineData("v-1")]
    [InlineData("latest")]
    [InlineData("v")]
    public void Refuses_what_is_not_a_version(string argument)
    {
        var parse = () => RollbackChange.ParseVersion(argument);

        parse.Should().Throw<CommandException>().WithMessage($"\"{argument}\" is not a release version (for example v6)");
    }

    [Fact]
    public void The_next_version_follows_the_newest_known_release()
    {
        var app = Apps.Shop();
        app.Status!.Releases = null;

        RollbackChange.NextVersion(app).Should().Be(8);
        app.Status = null;
        RollbackChange.NextVersion(app).Should().Be(1);
    }
}
