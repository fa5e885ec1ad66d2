using Kuroku.Operator.Hosting;

namespace Kuroku.Operator.UnitTests.Hosting;

public sealed class MallocArenasTests
{
    private static bool OnGlibc() =>
        OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("/libc.so.6", StringComparison.Ordinal);

    [Fact]
    public void Glibc_takes_the_cap_and_any_other_C_library_is_left_alone()
    {
        var taken = MallocArenas.Limit(MallocArenas.Operator, new Dictionary<string, string?>());

        taken.Should().Be(OnGlibc(), "mallopt(M_ARENA_MAX) answers 1 when glibc takes the value; elsewhere nothing is called");
    }

    [Fact]
    public void MALLOC_ARENA_MAX_in_the_environment_wins()
    {
        MallocArenas.Limit(MallocArenas.Operator, new Dictionary<string, string?> { ["MALLOC_ARENA_MAX"] = "4" }).Should().BeFalse();
    }
}
