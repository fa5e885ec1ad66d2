using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Kuroku.Kubectl;

/// <summary>A terminal's size in characters, as the resize channel of attach sends it.</summary>
public readonly record struct TerminalSize(int Width, int Height);

/// <summary>
/// The local end of an attached process: stdin, and whether it is a terminal (then the remote process gets a
/// TTY, the local terminal goes raw for the session, and size changes follow). Program.cs passes the
/// console's; tests pass a stream of their own, not a terminal.
/// </summary>
public class Terminal
{
    /// <summary>No input (stdin at its end at once), not a terminal.</summary>
    public static Terminal None { get; } = new(Stream.Null, isTerminal: false);

    public Terminal(Stream stdin, bool isTerminal)
    {
        Stdin = stdin;
        IsTerminal = isTerminal;
    }

    /// <summary>What the user types or pipes in.</summary>
    public Stream Stdin { get; }

    /// <summary>Whether stdin is an interactive terminal (not a pipe or a file).</summary>
    public bool IsTerminal { get; }

    /// <summary>The terminal's size now, or null when it has none.</summary>
    public virtual TerminalSize? Size => null;

    /// <summary>Raised when the terminal's size changes (SIGWINCH).</summary>
    public virtual event Action? Resized
    {
        add { }
        remove { }
    }

    /// <summary>
    /// Puts the terminal in raw mode (keys go to the remote TTY as typed: no local echo, line editing or
    /// signals, so Ctrl-C reaches the remote process); disposing restores it.
    /// </summary>
    public virtual IDisposable Raw() => NoRawMode.Instance;

    /// <summary>The console's stdin; a terminal when it is not redirected.</summary>
    public static Terminal Console() => new ConsoleTerminal();

    private sealed class NoRawMode : IDisposable
    {
        public static readonly NoRawMode Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class ConsoleTerminal() : Terminal(System.Console.OpenStandardInput(), !System.Console.IsInputRedirected)
    {
        public override TerminalSize? Size
        {
            get
            {
                try
                {
                    return System.Console.IsOutputRedirected ? null : new TerminalSize(System.Console.WindowWidth, System.Console.WindowHeight);
                }
                catch (IOException)
                {
                    return null;
                }
            }
        }

        public override event Action? Resized
        {
            add
            {
                if (value is not null && !OperatingSystem.IsWindows())
                {
                    // One registration for the process's life: the console outlives every session.
                    ResizeSignal ??= PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
                    {
                        context.Cancel = true;
                        ResizedHandlers?.Invoke();
                    });
                }

                ResizedHandlers += value;
            }

            remove => ResizedHandlers -= value;
        }

        private static Action? ResizedHandlers { get; set; }

        private static PosixSignalRegistration? ResizeSignal { get; set; }

        /// <summary>stty raw -echo, restored to the saved settings on dispose (what ssh and kubectl do with termios).</summary>
        public override IDisposable Raw()
        {
            if (OperatingSystem.IsWindows() || Stty("-g") is not { Length: > 0 } saved)
            {
                return NoRawMode.Instance;
            }

            Stty("raw -echo");
            return new Restore(() => Stty(saved));
        }

        private static string? Stty(string arguments)
        {
            try
            {
                var start = new ProcessStartInfo("stty", arguments) { RedirectStandardOutput = true, UseShellExecute = false };
                using var process = Process.Start(start);
                if (process is null)
                {
                    return null;
                }

                var output = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return process.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        private sealed class Restore(Action restore) : IDisposable
        {
            private int _done;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _done, 1) == 0)
                {
                    restore();
                }
            }
        }
    }
}
