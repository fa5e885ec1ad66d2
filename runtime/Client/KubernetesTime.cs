namespace Kuroku.Runtime.Client;

/// <summary>
/// Time as Kubernetes keeps it: whole seconds (metav1.Time is RFC 3339 to the second). A reconcile that
/// stamped a release or a condition with fractions would read back something else from the server, see a
/// difference, and write again.
/// </summary>
public static class KubernetesTime
{
    public static DateTime Now(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
