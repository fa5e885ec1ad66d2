namespace Kuroku.Playground.Cluster;

/// <summary>How the simulated nodes behave: how long a pod takes to start and a Job's pod to run.</summary>
public sealed record SimulationOptions
{
    /// <summary>From a pod's creation to its containers running and ready (image pull and start, simulated).</summary>
    public TimeSpan PodStartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a pod that runs to completion (a Job's: restartPolicy Never or OnFailure) runs before it exits.</summary>
    public TimeSpan JobRunTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the autoscaler stand-in looks at every HorizontalPodAutoscaler (kube-controller-manager: 15 s).</summary>
    public TimeSpan AutoscalerSyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Where a started container's output goes (the playground sends it to the API server's pod logs).</summary>
    public IContainerOutput Output { get; init; } = NoContainerOutput.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
