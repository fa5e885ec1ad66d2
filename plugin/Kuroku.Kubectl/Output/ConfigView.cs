using System.Text;
using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Kubectl.Output;

/// <summary>
/// `kubectl kuroku config`: spec.env in its order as NAME=VALUE (references as NAME=&lt;from ...&gt;),
/// then the envFrom sources as comment lines, so the output reads as a .env file.
/// </summary>
public static class ConfigView
{
    public static string Render(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var env = app.Spec.Env ?? [];
        var envFrom = app.Spec.EnvFrom ?? [];
        if (env.Count == 0 && envFrom.Count == 0)
        {
            return $"# {app.Metadata.Name} has no config vars\n";
        }

        var b = new StringBuilder();
        foreach (var e in env)
        {
            b.Append(e.Name).Append('=').Append(Value(e)).Append('\n');
        }

        foreach (var source in envFrom)
        {
            b.Append("# envFrom: ").Append(Source(source)).Append('\n');
        }

        return b.ToString();
    }

    public static string Value(V1EnvVar e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var from = e.ValueFrom;
        if (from is null)
        {
            return e.Value ?? "";
        }

        if (from.SecretKeyRef is { } s)
        {
            return $"<from secret {s.Name} key {s.Key}{(s.Optional == true ? ", optional" : "")}>";
        }

        if (from.ConfigMapKeyRef is { } c)
        {
            return $"<from configmap {c.Name} key {c.Key}{(c.Optional == true ? ", optional" : "")}>";
        }

        if (from.FieldRef is { } f)
        {
            return $"<from field {f.FieldPath}>";
        }

        if (from.ResourceFieldRef is { } r)
        {
            return $"<from resource {r.Resource}{(r.ContainerName is null ? "" : " of " + r.ContainerName)}>";
        }

        return "<from an unknown source>";
    }

    public static string Source(V1EnvFromSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var what = source.SecretRef is { } s ? $"secret {s.Name}{(s.Optional == true ? " (optional)" : "")}"
            : source.ConfigMapRef is { } c ? $"configmap {c.Name}{(c.Optional == true ? " (optional)" : "")}"
            : "an unknown source";
        return string.IsNullOrEmpty(source.Prefix) ? $"all keys of {what}" : $"all keys of {what}, prefixed {source.Prefix}";
    }
}
