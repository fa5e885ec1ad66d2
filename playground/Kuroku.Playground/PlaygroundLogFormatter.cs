using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Kuroku.Playground;

/// <summary>One short line per event of the stand-ins: time, component, message (warnings and errors say so).</summary>
public sealed class PlaygroundLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "playground";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Warning => "warning: ",
            >= LogLevel.Error => "error: ",
            _ => "",
        };
        var error = logEntry.Exception is { } e ? $" ({e.GetType().Name}: {e.Message})" : "";
        textWriter.WriteLine($"{DateTime.Now:HH:mm:ss} {logEntry.Category,-26} {level}{message}{error}");
    }

    /// <summary>The logs of the stand-ins as the playground prints them; the controller runtime's own chatter only from warnings up.</summary>
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder
        .AddConsole(o => o.FormatterName = FormatterName)
        .AddConsoleFormatter<PlaygroundLogFormatter, ConsoleFormatterOptions>()
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Kuroku.Runtime", LogLevel.Warning));
}
