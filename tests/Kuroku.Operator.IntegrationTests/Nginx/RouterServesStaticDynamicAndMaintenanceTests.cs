using System.Net;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;

namespace Kuroku.Operator.IntegrationTests.Nginx;

/// <summary>The generated router config, run by a real nginx (Debian's /usr/sbin/nginx) in front of a real app.</summary>
public sealed class RouterServesStaticDynamicAndMaintenanceTests
{
    private const string Css = "body { color: rebeccapurple; }\n";

    private static CancellationToken Ct => CancellationToken.None;

    private static WebApp App(bool maintenance = false) => new()
    {
        Metadata = new() { Name = "shop", NamespaceProperty = "shop", Uid = "uid-1" },
        Spec = new WebAppSpec
        {
            Image = "registry.example.com/acme/shop:1.4.2",
            Processes = new Dictionary<string, ProcessSpec> { ["web"] = new() },
            Static = new StaticSpec { Path = "/static", From = "/app/staticfiles", MaxAgeSeconds = 120 },
            Maintenance = maintenance,
        },
    };

    private static Task<NginxRouterHarness> StartAsync(bool maintenance = false) =>
        NginxRouterHarness.StartAsync(App(maintenance), new Dictionary<string, string> { ["app.css"] = Css, ["img/logo.svg"] = "<svg/>" },
            Ct);

    [Fact]
    public async Task Static_files_come_from_the_static_directory_with_cache_control_and_never_reach_the_app()
    {
        await using var router = await StartAsync();

        using var css = await router.Client.GetAsync("/static/app.css", Ct);
        using var nested = await router.Client.GetAsync("/static/img/logo.svg", Ct);

        css.StatusCode.Should().Be(HttpStatusCode.OK);
        (await css.Content.ReadAsStringAsync(Ct)).Should().Be(Css);
        css.Headers.CacheControl!.ToString().Should().Be("public, max-age=120");
        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        nested.StatusCode.Should().Be(HttpStatusCode.OK);
        router.App.Paths.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_other_path_is_proxied_to_the_app_on_its_port()
    {
        await using var router = await StartAsync();

        using var root = await router.Client.GetAsync("/", Ct);
        using var page = await router.Client.GetAsync("/cart/42", Ct);
        using var lookalike = await router.Client.GetAsync("/staticky", Ct);

        (await root.Content.ReadAsStringAsync(Ct)).Should().Be("dynamic /");
        (await page.Content.ReadAsStringAsync(Ct)).Should().Be("dynamic /cart/42");
        lookalike.StatusCode.Should().Be(HttpStatusCode.OK);
        router.App.Paths.Should().Equal("/", "/cart/42", "/staticky");
    }

    [Fact]
    public async Task A_missing_static_file_is_a_404_from_nginx_and_the_app_sees_nothing()
    {
        await using var router = await StartAsync();

        using var missing = await router.Client.GetAsync("/static/missing.css", Ct);
        using var directory = await router.Client.GetAsync("/static/img/", Ct);

        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Headers.CacheControl.Should().BeNull("a 404 must not be cached for the static max-age");
        directory.IsSuccessStatusCode.Should().BeFalse("directories are not listed");
        router.App.Paths.Should().BeEmpty();
    }

    [Fact]
    public async Task Maintenance_flag_turns_every_path_into_503_and_removing_it_restores_service_without_restarting_nginx()
    {
        await using var router = await StartAsync();
        var nginxPid = router.NginxProcess.Id;
        using (var before = await router.Client.GetAsync("/", Ct))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // Maintenance on: the ConfigMap the builder makes now has the flag key; the "kubelet" swaps the volume.
        router.Apply(Router.BuildConfigMap(App(maintenance: true))!);
        using (var page = await router.Client.GetAsync("/", Ct))
        using (var css = await router.Client.GetAsync("/static/app.css", Ct))
        {
            page.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await page.Content.ReadAsStringAsync(Ct)).Should().Be(Router.MaintenancePage);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            page.Headers.RetryAfter.Should().NotBeNull();
            css.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await css.Content.ReadAsStringAsync(Ct)).Should().Be(Router.MaintenancePage);
        }

        router.App.Paths.Should().Equal(["/"], "the app sees nothing while in maintenance");

        // Maintenance off: the flag key is gone again.
        router.Apply(Router.BuildConfigMap(App(maintenance: false))!);
        using (var page = await router.Client.GetAsync("/after", Ct))
        using (var css = await router.Client.GetAsync("/static/app.css", Ct))
        {
            (await page.Content.ReadAsStringAsync(Ct)).Should().Be("dynamic /after");
            css.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        router.NginxProcess.HasExited.Should().BeFalse();
        router.NginxProcess.Id.Should().Be(nginxPid);
        router.App.Paths.Should().Equal("/", "/after");
    }

    [Fact]
    public async Task An_app_started_in_maintenance_answers_503_from_the_first_request()
    {
        await using var router = await StartAsync(maintenance: true);

        using var page = await router.Client.GetAsync("/", Ct);

        page.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        router.App.Paths.Should().BeEmpty();
    }
}
