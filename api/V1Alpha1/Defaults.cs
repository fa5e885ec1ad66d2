namespace Kuroku.Api.V1Alpha1;

/// <summary>
/// The values a field takes when it is absent. The CRD's schema defaults say the same (see the
/// <c>DefaultValueJson</c> attributes); a test pins the two together, so `render` offline and the
/// API server online give the same result.
/// </summary>
public static class Defaults
{
    public const int Port = 8080;
    public const int Replicas = 1;
    public const string Size = DynoSizes.Standard1X;
    public const int AutoscalingMinReplicas = 1;
    public const int TargetCpuUtilizationPercentage = 80;
    public const long ReleaseTimeoutSeconds = 3600;
    public const int ReleaseBackoffLimit = 0;
    public const int BootTimeoutSeconds = 60;
    public const int StaticMaxAgeSeconds = 3600;
}
