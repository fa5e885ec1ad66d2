using System.Globalization;
using Kuroku.Playground.Cluster.Nodes;

namespace Kuroku.Playground;

/// <summary>What the playground prints once it runs: where everything is, and the commands to try (pure).</summary>
public static class Banner
{
    public static string Text(Uri apiServer, string kubeconfig, Uri operatorEndpoint, PlaygroundOptions options)
    {
        ArgumentNullException.ThrowIfNull(apiServer);
        ArgumentNullException.ThrowIfNull(kubeconfig);
        ArgumentNullException.ThrowIfNull(operatorEndpoint);
        ArgumentNullException.ThrowIfNull(options);
        var pods = Seconds(options.Simulation.PodStartDelay);
        var jobs = Seconds(options.Simulation.JobRunTime);
        var kuroku = "dotnet run --project plugin/Kuroku.Kubectl --";
        return $"""
            Kuroku playground is running.
              API server   {apiServer.ToString().TrimEnd('/')}, with the WebApp CRD (kubectl works against it)
              operator     reconciling WebApps in every namespace; {operatorEndpoint}metrics
              stand-ins    a kubelet (pods start in {pods}, Jobs' pods run {jobs}) and the Deployment, ReplicaSet, Job,
                           CronJob and HorizontalPodAutoscaler controllers; no container really runs
              kubeconfig   {kubeconfig}

            Try, in another shell at the root of the repository:
              export KUBECONFIG={kubeconfig}
              kubectl apply -f examples/
              kubectl get webapps -A -w                       # Ctrl-C ends the watch
              kubectl wait --for=condition=Ready webapp --all -A
              {kuroku} releases shop -n shop
                                                              # or: kubectl kuroku releases shop -n shop (README: kubectl kuroku)
            A release phase that fails: kubectl annotate webapp shop -n shop {FailSwitch.Annotation}=true
            then make a release: {kuroku} config:set shop GREETING=hello -n shop

            Ctrl-C (or SIGTERM) stops the playground.

            """;
    }

    private static string Seconds(TimeSpan delay) => delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
