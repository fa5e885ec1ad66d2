using Kuroku.Kubectl.Output;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Output;

public sealed class ReleasesViewTests
{
    [Fact]
    public void Lists_releases_newest_first_with_the_live_one_marked()
    {
        var text = ReleasesView.Render(Apps.Shop(), Apps.Now);

        text.Should().Be(
            "VERSION   STATUS             REASON                                         IMAGE                                  AGE\n"
            + "v8        Failed             image changed: release command exited with 1   registry.example.com/acme/shop:1.5.0   30s\n"
            + "v7        Succeeded (live)   image changed                                  registry.example.com/acme/shop:1.4.2   5m\n"
            + "v6        Succeeded          config changed                                 registry.example.com/acme/shop:1.4.1   3d2h\n");
    }

    [Fact]
    public void Says_so_when_the_operator_has_recorded_no_release()
    {
        var app = Apps.Shop();
        app.Status = null;

        ReleasesView.Render(app, Apps.Now).Should().StartWith("shop has no releases yet");
    }
}
