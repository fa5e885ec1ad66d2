namespace Kuroku.Kubectl;

/// <summary>A command that cannot do what was asked; the message says why, for a person. Exit code 1.</summary>
public sealed class CommandException(string message) : Exception(message);
