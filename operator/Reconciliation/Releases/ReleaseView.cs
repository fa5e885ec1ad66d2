using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using k8s;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>
/// What the desired-state builders see: the WebApp with its release fields (image, config vars,
/// commands) taken from the live release, and everything else (scaling, sizes, domains, static,
/// maintenance) from the current spec. So what runs is always exactly one recorded release, while
/// scaling and maintenance apply at once, without a release.
/// </summary>
public static class ReleaseView
{
    public static WebApp For(WebApp app, ReleaseSnapshot live)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(live);
        var view = KubernetesJson.Deserialize<WebApp>(KubernetesJson.Serialize(app));
        view.Spec.Image = live.Image;
        view.Spec.Env = live.Env is null ? null : [.. live.Env];
        view.Spec.EnvFrom = live.EnvFrom is null ? null : [.. live.EnvFrom];

        // The processes are the release's: one added since waits for its release, one removed keeps
        // running until a release without it goes live. Their scaling is the spec's where it has one.
        var processes = new Dictionary<string, ProcessSpec>(StringComparer.Ordinal);
        foreach (var (name, command) in live.Processes)
        {
            var process = view.Spec.Processes.TryGetValue(name, out var current) ? current ?? new ProcessSpec() : new ProcessSpec();
            process.Command = command.Command;
            process.Args = command.Args;
            processes[name] = process;
        }

        view.Spec.Processes = processes;
        return view;
    }
}
