using FluentValidation.Results;

namespace Kuroku.Api.Validation;

/// <summary>Turns FluentValidation results into the lines users read.</summary>
public static class ValidationResultExtensions
{
    /// <summary>One "field path: message" line per failure, in the order the validator found them.</summary>
    public static IReadOnlyList<string> ToFieldErrors(this ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Errors.Select(ToFieldError)];
    }

    /// <summary>The "field path: message" line of one failure, for example <c>spec.port: port must be between 1 and 65535</c>.</summary>
    public static string ToFieldError(this ValidationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"{failure.PropertyName}: {failure.ErrorMessage}";
    }
}
