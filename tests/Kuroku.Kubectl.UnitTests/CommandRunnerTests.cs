using System.Text.Json;
using Kuroku.Api.Releases;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.UnitTests.TestSupport;
using Kuroku.Runtime.Client;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests;

public sealed class CommandRunnerTests
{
    private readonly FakeCluster cluster = new();
    private readonly StringWriter stdout = new() { NewLine = "\n" };
    private readonly StringWriter stderr = new() { NewLine = "\n" };
    private GlobalOptions? connectedWith;

    public CommandRunnerTests() => cluster.Apps[("shop", "shop")] = Apps.Shop();

    private Task<int> Run(params string[] args) => Plugin.RunAsync(
        args,
        stdout,
        stderr,
        options =>
        {
            connectedWith = options;
            return cluster;
        },
        new FixedClock(Apps.Now),
        CancellationToken.None);

    [Fact]
    public async Task Config_set_starts_again_from_a_fresh_read_when_the_app_changed_meanwhile()
    {
        cluster.BeforePatch = attempt =>
        {
            if (attempt == 1)
            {
                // Someone else's config:set lands first: the resourceVersion test fails, which
                // kube-apiserver reports as a generic 422 (the test's own text is not in the answer).
                var app = cluster.Apps[("shop", "shop")];
                app.Spec.Env!.Add(new V1EnvVar { Name = "BAR", Value = "theirs" });
                app.Metadata.ResourceVersion = "42";
                throw ApiErrors.FromResponse(422, """{"kind":"Status","status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","code":422}""", "patch", "WebApp shop/shop");
            }
        };

        var code = await Run("config:set", "shop", "FOO=mine");

        code.Should().Be(0);
        cluster.Patches.Should().HaveCount(2);
        cluster.Patches[1].Patch.Body.Should().Contain("""{"op":"test","path":"/metadata/resourceVersion","value":"42"}""")
            .And.Contain("""{"name":"BAR","value":"theirs"},{"name":"FOO","value":"mine"}""");
        stdout.ToString().Should().Be("Setting FOO and restarting shop... done, a new release will be created\nFOO=mine\n");
    }

    [Fact]
    public async Task Gives_up_after_repeated_conflicts_with_a_non_zero_exit()
    {
        cluster.BeforePatch = _ => throw ApiErrors.FromResponse(409, """{"kind":"Status","status":"Failure","message":"Operation cannot be fulfilled on webapps.kuroku.dev \"shop\": the object has been modified","reason":"Conflict","code":409}""", "patch", "WebApp shop/shop");

        var code = await Run("config:unset", "shop", "DEBUG");

        code.Should().Be(1);
        cluster.Patches.Should().HaveCount(CommandRunner.MaxAttempts);
        stdout.ToString().Should().Be("Unsetting DEBUG and restarting shop... failed\n");
        stderr.ToString().Should().StartWith("error: shop changed 5 times while this command tried to write it; try again");
    }

    [Fact]
    public async Task Other_api_errors_show_the_servers_message_and_are_not_retried()
    {
        cluster.BeforePatch = _ => throw ApiErrors.FromResponse(422, """{"kind":"Status","status":"Failure","message":"WebApp.kuroku.dev \"shop\" is invalid: spec.processes.worker.replicas: Invalid value: 100000","reason":"Invalid","code":422}""", "patch", "WebApp shop/shop");

        var code = await Run("scale", "shop", "worker=100000");

        code.Should().Be(1);
        cluster.Patches.Should().HaveCount(1);
        stderr.ToString().Should().Be("error from server (Invalid): WebApp.kuroku.dev \"shop\" is invalid: spec.processes.worker.replicas: Invalid value: 100000\n");
    }

    [Theory]
    [InlineData(new[] { "ps", "nope" }, "error: webapp \"nope\" not found in namespace \"shop\"\n")]
    [InlineData(new[] { "releases", "shop", "-n", "prod" }, "error: webapp \"shop\" not found in namespace \"prod\"\n")]
    public async Task A_missing_app_is_named_with_its_namespace(string[] args, string error)
    {
        var code = await Run(args);

        code.Should().Be(1);
        stderr.ToString().Should().Be(error);
        cluster.Patches.Should().BeEmpty();
    }

    [Fact]
    public async Task Usage_errors_exit_2_without_connecting()
    {
        var code = await Run("scale", "shop");

        code.Should().Be(2);
        connectedWith.Should().BeNull();
        stderr.ToString().Should().StartWith("error: scale needs at least one PROCESS=N");
    }

    [Fact]
    public async Task Passes_the_global_flags_to_the_connection_and_uses_the_namespace_flag()
    {
        cluster.Apps[("prod", "shop")] = Apps.Shop();

        var code = await Run("maintenance:on", "shop", "--context", "kind-kuroku", "--kubeconfig", "/tmp/k", "-n", "prod");

        code.Should().Be(0);
        connectedWith.Should().Be(new GlobalOptions("/tmp/k", "kind-kuroku", "prod"));
        cluster.Patches.Should().ContainSingle().Which.Should().Be(("prod", "shop", new Kuroku.Kubectl.Changes.WebAppPatch(Kuroku.Kubectl.Changes.PatchKind.Merge, """{"spec":{"maintenance":true}}""")));
        stdout.ToString().Should().Be("Enabling maintenance mode for shop... done, HTTP answers 503 with the maintenance page; processes keep running\n");
    }

    [Fact]
    public async Task Releases_prints_the_table_against_the_injected_clock()
    {
        var code = await Run("releases", "shop");

        code.Should().Be(0);
        stdout.ToString().Should().Contain("v7        Succeeded (live)").And.Contain("3d2h\n");
    }

    [Fact]
    public async Task Rollback_reads_the_revision_and_writes_one_merge_patch()
    {
        cluster.Revisions[("shop", "shop-v6")] = Revision(6, new ReleaseSnapshot
        {
            Image = "registry.example.com/acme/shop:1.4.1",
            Processes = new SortedDictionary<string, ProcessCommand>(StringComparer.Ordinal) { ["web"] = new() { Command = ["gunicorn"] } },
        });

        var code = await Run("rollback", "shop", "v6");

        code.Should().Be(0);
        cluster.Patches.Should().ContainSingle().Which.Patch.Body.Should().Be(
            """{"metadata":{"annotations":{"kuroku.dev/rollback-to":"6"}},"spec":{"image":"registry.example.com/acme/shop:1.4.1","env":null,"envFrom":null,"processes":{"web":{"command":["gunicorn"],"args":null}}}}""");
        stdout.ToString().Should().Be(
            "Rolling back shop to v6... done, the operator will make release v9 (rollback to v6)\n"
            + "process worker did not exist in v6; its command is left as it is\n");
    }

    [Fact]
    public async Task Rollback_to_an_unknown_release_lists_the_stored_ones()
    {
        cluster.Revisions[("shop", "shop-v7")] = Revision(7, new ReleaseSnapshot { Image = "i:7" });
        cluster.Revisions[("shop", "shop-v5")] = Revision(5, new ReleaseSnapshot { Image = "i:5" });
        cluster.Revisions[("shop", "other-v1")] = Revision(1, new ReleaseSnapshot { Image = "o:1" }, app: "other");

        var code = await Run("rollback", "shop", "v4");

        code.Should().Be(1);
        cluster.Patches.Should().BeEmpty();
        stderr.ToString().Should().Be(
            "error: release v4 of shop not found (no ControllerRevision shop-v4 labelled kuroku.dev/webapp=shop in namespace \"shop\"); available: v5, v7\n");
    }

    [Fact]
    public async Task Help_prints_usage_and_touches_no_cluster()
    {
        var code = await Run("config:set", "-h");

        code.Should().Be(0);
        connectedWith.Should().BeNull();
        stdout.ToString().Should().Contain("kubectl kuroku config:set APP NAME=VALUE [NAME=VALUE...]");
    }

    private static V1ControllerRevision Revision(int version, ReleaseSnapshot snapshot, string app = "shop") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{app}-v{version}",
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { [ReleaseRevisions.AppLabel] = app, ["app.kubernetes.io/managed-by"] = "kuroku" },
            Annotations = new Dictionary<string, string> { [ReleaseRevisions.PhaseAnnotation] = ReleasePhases.Succeeded },
        },
        Revision = version,
        // As the client hands it over after reading it from the API server: a JsonElement.
        Data = JsonSerializer.Deserialize<JsonElement>(KubernetesJson.Serialize(snapshot)),
    };
}
