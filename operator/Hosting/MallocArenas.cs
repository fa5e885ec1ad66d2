using System.Runtime.InteropServices;

namespace Kuroku.Operator.Hosting;

/// <summary>
/// Caps glibc's malloc arenas for the operator's process. glibc gives each new thread an arena of its own, up
/// to eight per core, and keeps what each arena once held: the operator's native allocations are mostly zlib's
/// state for each cache entry it compresses or reads (up to a few hundred KB, freed at once), made on whichever
/// thread-pool thread handles the watch event, so every such thread kept its own copy. The image sets
/// <c>MALLOC_ARENA_MAX=1</c>, which holds from the process's first allocation (one arena: the operator's
/// threads mostly wait on I/O, and measured by the scale benchmark, see the README); started without it (for
/// example by <c>dotnet run</c>), the operator caps the arenas itself as early as it can, which keeps those the
/// runtime's threads made before <c>Main</c>. Not on other C libraries (musl has no arenas), and not when
/// <c>MALLOC_ARENA_MAX</c> is set: that one wins.
/// </summary>
internal static class MallocArenas
{
    public const int Operator = 1;

    // mallopt's parameter number for M_ARENA_MAX (glibc's malloc.h).
    private const int ArenaMax = -8;

    /// <summary>Sets the cap; true if glibc took it.</summary>
    public static bool Limit(int arenas, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!OperatingSystem.IsLinux() || environment.ContainsKey("MALLOC_ARENA_MAX"))
        {
            return false;
        }

        try
        {
            return Mallopt(ArenaMax, arenas) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport, not LibraryImport: two ints need no marshalling, and the project allows no unsafe code.
    [DllImport("libc", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
