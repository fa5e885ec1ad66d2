using k8s.Models;
using Kuroku.Kubectl.Output;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Output;

public sealed class ConfigViewTests
{
    [Fact]
    public void Prints_values_references_and_env_from_sources_in_spec_order()
    {
        var app = Apps.Shop();
        app.Spec.Env!.Add(new V1EnvVar { Name = "COLOR", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "theme", Key = "color", Optional = true } } });
        app.Spec.Env.Add(new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } });
        app.Spec.Env.Add(new V1EnvVar { Name = "EMPTY" });
        app.Spec.EnvFrom!.Add(new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "flags", Optional = true }, Prefix = "FLAG_" });

        ConfigView.Render(app).Should().Be(
            "DJANGO_SETTINGS_MODULE=shop.settings\n"
            + "DATABASE_URL=<from secret shop-db key url>\n"
            + "DEBUG=0\n"
            + "COLOR=<from configmap theme key color, optional>\n"
            + "POD=<from field metadata.name>\n"
            + "EMPTY=\n"
            + "# envFrom: all keys of secret shop-secrets\n"
            + "# envFrom: all keys of configmap flags (optional), prefixed FLAG_\n");
    }

    [Fact]
    public void Says_so_when_there_is_no_config()
    {
        var app = Apps.Shop();
        app.Spec.Env = null;
        app.Spec.EnvFrom = [];

        ConfigView.Render(app).Should().Be("# shop has no config vars\n");
    }
}
