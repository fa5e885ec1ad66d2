using Kuroku.Runtime.Controller;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Kuroku.Runtime.LeaderElection;

/// <summary>Whether this replica runs the controllers now; for metrics and health.</summary>
public interface ILeaderStatus
{
    bool IsLeader { get; }
}

public sealed record LeaderElectionOptions
{
    /// <summary>Off: the controllers start at once (one replica, or local runs).</summary>
    public bool Enabled { get; init; } = true;

    public string Namespace { get; init; } = "kuroku-system";

    public string LeaseName { get; init; } = "kuroku-operator";

    /// <summary>This replica's name in the Lease: the pod name (POD_NAME), else the host name.</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs the controllers only while this replica holds the Lease (KubernetesClient's
/// <see cref="LeaderElector"/> with a <see cref="LeaseLock"/>): they start on OnStartedLeading and
/// stop on OnStoppedLeading; then the replica tries to lead again. With election off they start at once.
/// </summary>
public sealed class LeaderElectionService : BackgroundService, ILeaderStatus
{
    private readonly IKubernetes kubernetes;
    private readonly IControllerRunner runner;
    private readonly LeaderElectionOptions options;
    private readonly ILogger<LeaderElectionService> logger;
    private volatile bool isLeader;

    public LeaderElectionService(IKubernetes kubernetes, IControllerRunner runner, LeaderElectionOptions options, ILogger<LeaderElectionService> logger)
    {
        this.kubernetes = kubernetes ?? throw new ArgumentNullException(nameof(kubernetes));
        this.runner = runner ?? throw new ArgumentNullException(nameof(runner));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public bool IsLeader => isLeader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            logger.LogInformation("Leader election is off; starting the controllers");
            isLeader = true;
            try
            {
                await runner.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                isLeader = false;
            }

            return;
        }

        var config = new LeaderElectionConfig(new LeaseLock(kubernetes, options.Namespace, options.LeaseName, options.Identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        CancellationTokenSource? term = null;
        Task? running = null;
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("{Identity} leads (Lease {Namespace}/{Lease}); starting the controllers", options.Identity, options.Namespace, options.LeaseName);
            isLeader = true;
            term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var token = term.Token;
            running = Task.Run(() => runner.RunAsync(token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            logger.LogInformation("{Identity} stopped leading; stopping the controllers", options.Identity);
            isLeader = false;
            term?.Cancel();
        };
        elector.OnNewLeader += leader => logger.LogInformation("The leader is now {Leader}", leader);
        elector.OnError += e => logger.LogWarning(e, "Leader election error");

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Leader election failed; trying again");
            }
            finally
            {
                isLeader = false;
                term?.Cancel();
                if (running is not null)
                {
                    try
                    {
                        await running.ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        logger.LogError(e, "The controllers failed");
                    }
                }

                term?.Dispose();
                term = null;
                running = null;
            }
        }
    }
}
