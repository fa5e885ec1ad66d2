namespace Kuroku.Runtime.Controller;

/// <summary>Observes reconciles (a hook for a Meter: reconcile total by result, errors, duration, active workers).</summary>
public interface IControllerMetrics
{
    /// <param name="controller">The controller's name.</param>
    /// <param name="result">success, requeue_after, requeue, error, terminal_error or cancelled.</param>
    /// <param name="duration">How long ReconcileAsync ran.</param>
    void Reconciled(string controller, string result, TimeSpan duration);

    void ActiveWorkersChanged(string controller, int active);
}

public sealed class NoopControllerMetrics : IControllerMetrics
{
    public static readonly NoopControllerMetrics Instance = new();

    public void Reconciled(string controller, string result, TimeSpan duration)
    {
    }

    public void ActiveWorkersChanged(string controller, int active)
    {
    }
}
