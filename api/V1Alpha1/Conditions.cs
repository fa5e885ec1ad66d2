namespace Kuroku.Api.V1Alpha1;

/// <summary>Condition types and reasons, named once (Argo CD's health.lua reads the same names).</summary>
public static class Conditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";

    public static class Reasons
    {
        public const string AllProcessesReady = "AllProcessesReady";
        public const string ProcessesNotReady = "ProcessesNotReady";
        public const string RollingOut = "RollingOut";
        public const string Complete = "Complete";
        public const string AsExpected = "AsExpected";
        public const string InvalidSpec = "InvalidSpec";
        public const string ChildConflict = "ChildConflict";
        public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
        public const string ConfigMissing = "ConfigMissing";
        public const string ReleaseFailed = "ReleaseFailed";
        public const string ReleasePhaseRunning = "ReleasePhaseRunning";
    }
}
