namespace Kuroku.Api.Validation;

/// <summary>
/// One validation rule: a stable code callers can test against, and the message that states the rule
/// in lower case. A failure reads <c>"&lt;field path&gt;: &lt;message&gt;"</c>.
/// </summary>
/// <param name="Code">The stable error code, for example <c>ProcessName</c>.</param>
/// <param name="Message">The rule, for example <c>process names must be lower-case DNS labels (a-z, 0-9, '-')</c>.</param>
public sealed record FieldRule(string Code, string Message);
