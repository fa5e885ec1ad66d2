using FluentValidation;
using Kuroku.Operator.Api.V1Alpha1;

namespace Kuroku.Operator.Validation;

/// <summary>The one validator of WebApp, used by render, the webhook and the reconciler.</summary>
public sealed class WebAppValidator : AbstractValidator<WebApp>
{
    public WebAppValidator()
    {
        // Rules are added by the validation work item.
    }
}
