using System.Text.RegularExpressions;
using FluentValidation;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>
/// spec.static: the URL prefix nginx serves and the image directory it is filled from. Both end up in
/// generated nginx configuration and in the command of the container that copies the files, so they
/// are held to the POSIX portable filename characters ([A-Za-z0-9._-]) between single slashes: no
/// whitespace, quotes, regex or nginx-special characters.
/// </summary>
internal sealed partial class StaticValidator : AbstractValidator<StaticSpec>
{
    public StaticValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(spec => spec.Path)
            .At("path")
            .NotEmpty().Is(WebAppRules.Required)
            .Must(path => path.StartsWith('/')).Is(WebAppRules.StaticPathAbsolute)
            .NotEqual("/", StringComparer.Ordinal).Is(WebAppRules.StaticPathRoot)
            .Must(path => !path.Contains("..", StringComparison.Ordinal)).Is(WebAppRules.StaticPathDotDot)
            .Must(IsPortablePath).Is(WebAppRules.StaticPathCharacters);

        RuleFor(spec => spec.From)
            .At("from")
            .NotEmpty().Is(WebAppRules.Required)
            .Must(from => from.StartsWith('/')).Is(WebAppRules.StaticFromAbsolute)
            .NotEqual("/", StringComparer.Ordinal).Is(WebAppRules.StaticFromRoot)
            .Must(from => !from.Contains("..", StringComparison.Ordinal)).Is(WebAppRules.StaticFromDotDot)
            .Must(IsPortablePath).Is(WebAppRules.StaticFromCharacters);

        RuleFor(spec => spec.MaxAgeSeconds ?? Defaults.StaticMaxAgeSeconds)
            .At("maxAgeSeconds")
            .GreaterThanOrEqualTo(0).Is(WebAppRules.StaticMaxAge);
    }

    private static bool IsPortablePath(string path) => PortablePath().IsMatch(path);

    // "/seg/seg" or "/seg/seg/": segments of portable filename characters, none of them only dots.
    [GeneratedRegex(@"^(?:/(?!\.+(?:/|\z))[A-Za-z0-9._-]+)+/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PortablePath();
}
