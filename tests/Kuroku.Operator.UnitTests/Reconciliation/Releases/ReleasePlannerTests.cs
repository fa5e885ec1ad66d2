using System.Text;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.UnitTests.TestSupport;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Releases;

public sealed class ReleasePlannerTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static WebApp App(Action<WebApp>? edit = null)
    {
        var app = Repo.Example("webapp.yaml");
        app.Metadata.Uid = "uid-1";
        edit?.Invoke(app);
        return app;
    }

    private static ReleaseSnapshot Snap(WebApp app, string digest = "d0") => ReleasePlanner.Snapshot(app, digest);

    private static Release Rel(int v, WebApp app, string phase = ReleasePhases.Succeeded, string digest = "d0") =>
        new(v, Snap(app, digest), phase, "x", null, T0);

    public static TheoryData<string, Action<WebApp>, bool> Changes => new()
    {
        { "image", a => a.Spec.Image = "shop:2", true },
        { "a config var", a => a.Spec.Env!.Add(new V1EnvVar { Name = "X", Value = "1" }), true },
        { "envFrom", a => a.Spec.EnvFrom = null, true },
        { "a command", a => a.Spec.Processes["worker"].Command = ["celery", "beat"], true },
        { "a new process", a => a.Spec.Processes["clock"] = new ProcessSpec { Command = ["clock"] }, true },
        { "replicas", a => a.Spec.Processes["worker"].Replicas = 5, false },
        { "size", a => a.Spec.Processes["worker"].Size = "performance-l", false },
        { "autoscaling bounds", a => a.Spec.Processes["web"].Autoscaling!.MaxReplicas = 20, false },
        { "maintenance", a => a.Spec.Maintenance = true, false },
        { "domains", a => a.Spec.Domains!.Hosts.Add("www.example.com"), false },
        { "static max age", a => a.Spec.Static!.MaxAgeSeconds = 60, false },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Only_image_config_and_commands_make_a_new_release(string what, Action<WebApp> change, bool newRelease)
    {
        var history = new[] { Rel(1, App()) };
        var changed = App(change);

        var plan = ReleasePlanner.Plan(changed, Snap(changed), history, T0);

        plan.Created.Should().Be(newRelease, what);
        plan.Latest.Version.Should().Be(newRelease ? 2 : 1);
    }

    [Fact]
    public void A_change_in_referenced_secret_data_makes_a_new_release()
    {
        var plan = ReleasePlanner.Plan(App(), Snap(App(), "d1"), [Rel(1, App(), digest: "d0")], T0);
        plan.Created.Should().BeTrue();
        plan.Latest.Reason.Should().Be("referenced config changed");
    }

    [Fact]
    public void Numbers_only_grow_even_when_the_config_returns_to_an_old_release()
    {
        var v1 = App();
        var v2 = App(a => a.Spec.Image = "shop:2");
        var plan = ReleasePlanner.Plan(v1, Snap(v1), [Rel(1, v1), Rel(2, v2)], T0);

        plan.Latest.Version.Should().Be(3);
        plan.Latest.Reason.Should().Be("image changed");
    }

    [Fact]
    public void With_a_release_command_a_new_release_waits_and_the_previous_one_stays_live()
    {
        var next = App(a => a.Spec.Image = "shop:2");
        var plan = ReleasePlanner.Plan(next, Snap(next), [Rel(1, App())], T0);

        plan.Latest.Phase.Should().Be(ReleasePhases.Pending);
        plan.Live!.Version.Should().Be(1);
    }

    [Fact]
    public void Without_a_release_command_a_new_release_is_live_at_once()
    {
        var next = App(a => { a.Spec.Release = null; a.Spec.Image = "shop:2"; });
        var plan = ReleasePlanner.Plan(next, Snap(next), [Rel(1, App())], T0);

        plan.Latest.Phase.Should().Be(ReleasePhases.Succeeded);
        plan.Live!.Version.Should().Be(2);
    }

    [Fact]
    public void A_failed_release_is_not_retried_until_the_spec_changes()
    {
        var next = App(a => a.Spec.Image = "shop:2");
        var history = new[] { Rel(1, App()), Rel(2, next, ReleasePhases.Failed) };

        var plan = ReleasePlanner.Plan(next, Snap(next), history, T0);

        plan.Created.Should().BeFalse();
        plan.Latest.Phase.Should().Be(ReleasePhases.Failed);
        plan.Live!.Version.Should().Be(1);
    }

    [Fact]
    public void A_rollback_names_the_release_it_restores()
    {
        var v1 = App();
        var v2 = App(a => a.Spec.Image = "shop:2");
        var back = App(a => a.Metadata.Annotations = new Dictionary<string, string> { [ReleaseRevisions.RollbackAnnotation] = "1" });

        var plan = ReleasePlanner.Plan(back, Snap(back), [Rel(1, v1), Rel(2, v2)], T0);

        plan.Latest.Version.Should().Be(3);
        plan.Latest.Reason.Should().Be("rollback to v1");
        plan.Latest.Phase.Should().Be(ReleasePhases.Pending, "the release phase runs again, as on Heroku");
    }

    [Theory]
    [InlineData(null, "initial release")]
    [InlineData("image", "image changed")]
    [InlineData("both", "image and config vars changed")]
    public void Reasons_say_what_changed(string? what, string reason)
    {
        var previous = what is null ? null : Snap(App());
        var next = App(a =>
        {
            if (what is "image" or "both") { a.Spec.Image = "shop:9"; }
            if (what is "both") { a.Spec.Env = null; }
        });

        ReleasePlanner.Reason(next, previous, Snap(next), []).Should().Be(reason);
    }

    [Fact]
    public void Revisions_round_trip_a_release_with_its_phase_and_owner()
    {
        var app = App();
        var release = new Release(7, Snap(app), ReleasePhases.Failed, "image changed", "release command failed", T0);

        var revision = ReleaseRevisions.ToRevision(app, release);
        var back = ReleaseRevisions.FromRevision(k8s.KubernetesJson.Deserialize<V1ControllerRevision>(k8s.KubernetesJson.Serialize(revision)));

        revision.Metadata.Name.Should().Be("shop-v7");
        revision.Metadata.OwnerReferences.Should().ContainSingle(r => r.Controller == true && r.Uid == "uid-1");
        back.Should().NotBeNull();
        back!.Version.Should().Be(7);
        back.Phase.Should().Be(ReleasePhases.Failed);
        back.Message.Should().Be("release command failed");
        back.CreatedAt.Should().Be(T0);
        back.Snapshot.ConfigHash.Should().Be(release.Snapshot.ConfigHash);
        back.Snapshot.Processes.Keys.Should().Equal("cleanup", "web", "worker");
    }

    [Fact]
    public void Referenced_data_digest_covers_only_the_keys_read_and_reports_what_is_missing()
    {
        var refs = ConfigReferences.Collect(App());
        refs.Select(r => (r.Kind, r.Name, r.Key)).Should().Equal(("Secret", "shop-db", "url"), ("Secret", "shop-secrets", (string?)null));

        IReadOnlyDictionary<string, string>? Data(string url, string other) => new Dictionary<string, string>
        {
            ["url"] = ConfigReferences.KeyDigest(Encoding.UTF8.GetBytes(url)),
            ["other"] = ConfigReferences.KeyDigest(Encoding.UTF8.GetBytes(other)),
        };

        var a = ConfigReferences.Resolve(refs.Take(1).ToList(), (_, _) => Data("postgres://a", "1"));
        var unreadKeyChanged = ConfigReferences.Resolve(refs.Take(1).ToList(), (_, _) => Data("postgres://a", "2"));
        var readKeyChanged = ConfigReferences.Resolve(refs.Take(1).ToList(), (_, _) => Data("postgres://b", "1"));
        unreadKeyChanged.Digest.Should().Be(a.Digest);
        readKeyChanged.Digest.Should().NotBe(a.Digest);

        var missing = ConfigReferences.Resolve(refs, (_, name) => name == "shop-db" ? null : Data("x", "y"));
        missing.Missing.Should().Equal("spec.env[1].valueFrom.secretKeyRef: Secret \"shop-db\" not found");
    }
}

public sealed class ReleasePhaseObserverTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static V1Job Job(int? succeeded = null, string? failedReason = null, DateTime? started = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop-release-v2", CreationTimestamp = T0 },
        Status = new V1JobStatus
        {
            Succeeded = succeeded,
            StartTime = started,
            Conditions = failedReason is null ? null : [new V1JobCondition { Type = "Failed", Status = "True", Reason = failedReason }],
        },
    };

    [Fact]
    public void No_job_yet_is_pending() =>
        ReleasePhaseObserver.Observe(null, 60, T0, T0).Phase.Should().Be(ReleasePhases.Pending);

    [Fact]
    public void A_succeeded_job_succeeds_the_release() =>
        ReleasePhaseObserver.Observe(Job(succeeded: 1), 60, T0, T0).Phase.Should().Be(ReleasePhases.Succeeded);

    [Theory]
    [InlineData("BackoffLimitExceeded", "the release command failed; see `kubectl logs job/shop-release-v2`")]
    [InlineData("DeadlineExceeded", "the release command did not finish within 60s (spec.release.timeoutSeconds)")]
    public void A_failed_job_fails_the_release_with_the_reason(string reason, string message)
    {
        var state = ReleasePhaseObserver.Observe(Job(failedReason: reason), 60, T0, T0);
        state.Phase.Should().Be(ReleasePhases.Failed);
        state.Message.Should().Be(message);
    }

    [Fact]
    public void A_running_job_is_rechecked_when_its_timeout_falls_due_and_fails_after_it()
    {
        var running = ReleasePhaseObserver.Observe(Job(started: T0), 60, T0, T0.AddSeconds(20));
        running.Phase.Should().Be(ReleasePhases.Running);
        running.RecheckAfter.Should().Be(TimeSpan.FromSeconds(40));

        ReleasePhaseObserver.Observe(Job(started: T0), 60, T0, T0.AddSeconds(61)).Phase.Should().Be(ReleasePhases.Failed);
    }
}
