namespace Kuroku.Runtime.Controller;

/// <summary>Something that runs the controllers for one leadership term, until cancelled.</summary>
public interface IControllerRunner
{
    Task RunAsync(CancellationToken stoppingToken);
}
