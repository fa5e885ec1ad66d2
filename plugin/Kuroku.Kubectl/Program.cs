using Kuroku.Kubectl;
using Kuroku.Kubectl.Kube;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await Plugin.RunAsync(
    args,
    Console.Out,
    Console.Error,
    Terminal.Console(),
    options => KurokuCluster.Connect(
        KubeconfigLocation.Resolve(
            options.Kubeconfig,
            Environment.GetEnvironmentVariable("KUBECONFIG"),
            Environment.GetEnvironmentVariable("HOME"),
            File.Exists),
        options.Context),
    TimeProvider.System,
    cancel.Token);
