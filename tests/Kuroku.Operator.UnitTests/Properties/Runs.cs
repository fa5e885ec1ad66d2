namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>
/// How many cases a property runs: the CI count given, or CsCheck_Iter from the environment for a longer
/// campaign (CsCheck_Time=SECONDS runs each property for that long instead; CsCheck_Seed replays a failure).
/// </summary>
internal static class Runs
{
    public static int Of(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var iterations) && iterations > 0 ? iterations : ci;
}
