using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Kuroku.Operator.IntegrationTests.Tools;

/// <summary>What an external program printed and returned.</summary>
public sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>
/// Runs the external tools the integration tests drive (node, helm, lua) and captures their output.
/// A safety limit ends a hung tool; it is no assertion about speed.
/// </summary>
public static class ExternalProcess
{
    private static readonly TimeSpan SafetyLimit = TimeSpan.FromMinutes(5);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>, feeding <paramref name="standardInput"/>.</summary>
    /// <exception cref="InvalidOperationException">The program is not installed; the message says <paramref name="installHint"/>.</exception>
    public static async Task<ProcessOutcome> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        string? workingDirectory = null,
        string installHint = "",
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? SchemaCheck.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run \"{fileName}\": {e.Message}. {installHint}".TrimEnd(), e);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(SafetyLimit);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), limit.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token);
            return new ProcessOutcome(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"\"{fileName} {string.Join(' ', startInfo.ArgumentList)}\" did not end within {SafetyLimit}");
        }
    }
}
