using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Defaults;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Registry;

/// <summary>
/// What kube-apiserver checks on a write to a Job's /status (pkg/apis/batch/validation: validateJobStatus and
/// ValidateJobStatusUpdate, with the options pkg/registry/batch/job/strategy.go's getStatusValidationOptions
/// turns on now that JobManagedBy is on by default). Most rules only apply when the fields they are about
/// change, so a Job whose status is already odd can still get unrelated updates. A pure function.
/// </summary>
public static class JobStatusRules
{
    public static IReadOnlyList<FieldError> Validate(JsonObject oldJob, JsonObject newJob)
    {
        var errors = new List<FieldError>();
        var o = new JobView(oldJob);
        var n = new JobView(newJob);
        var finishedChanged = o.Finished != n.Finished;
        var completeChanged = o.Complete != n.Complete;
        var failedChanged = o.Failed != n.Failed;
        var failureTargetChanged = o.FailureTarget != n.FailureTarget;
        var successCriteriaChanged = o.SuccessCriteriaMet != n.SuccessCriteriaMet;
        var activeChanged = o.Active != n.Active;
        var startChanged = o.Start != n.Start;
        var completionChanged = o.Completion != n.Completion;
        var readyChanged = o.Ready != n.Ready;
        var terminatingChanged = o.Terminating != n.Terminating;
        var uncountedChanged = !JsonNode.DeepEquals(o.Status["uncountedTerminatedPods"], n.Status["uncountedTerminatedPods"]);
        var completedIndexesChanged = o.Text("completedIndexes") != n.Text("completedIndexes");
        var failedIndexesChanged = !JsonNode.DeepEquals(o.Status["failedIndexes"], n.Status["failedIndexes"]);

        void Nonnegative(string field, long? value)
        {
            if (value < 0)
            {
                errors.Add(FieldError.Invalid($"status.{field}", Num(value), "must be greater than or equal to 0"));
            }
        }

        Nonnegative("active", n.Active);
        Nonnegative("succeeded", n.Succeeded);
        Nonnegative("failed", n.FailedCount);
        Nonnegative("ready", n.Ready);
        Nonnegative("terminating", n.Terminating);

        if ((completeChanged || failedChanged) && n.Complete && n.Failed)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set Complete=True and Failed=true conditions"));
        }

        if ((completeChanged || failureTargetChanged) && n.Complete && n.FailureTarget)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set Complete=True and FailureTarget=true conditions"));
        }

        if ((completeChanged || completionChanged) && n.CompletionText is not null && !n.Complete)
        {
            errors.Add(FieldError.Invalid("status.completionTime", Quote(n.CompletionText), "cannot set completionTime when there is no Complete=True condition"));
        }

        if ((completeChanged || completionChanged) && n.CompletionText is null && n.Complete)
        {
            errors.Add(FieldError.Required("status.completionTime", "completionTime is required for Complete jobs"));
        }

        if ((startChanged || completionChanged) && n.Start is { } start && n.Completion is { } completion && completion < start)
        {
            errors.Add(FieldError.Invalid("status.completionTime", Quote(n.CompletionText), "completionTime cannot be set before startTime"));
        }

        if ((failedChanged || failureTargetChanged) && n.Failed && !n.FailureTarget)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set Failed=True condition without the FailureTarget=true condition"));
        }

        if ((completeChanged || successCriteriaChanged) && n.Complete && !n.SuccessCriteriaMet)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set Complete=True condition without the SuccessCriteriaMet=true condition"));
        }

        if ((finishedChanged || activeChanged) && n.Active > 0 && n.Finished)
        {
            errors.Add(FieldError.Invalid("status.active", Num(n.Active), "active>0 is invalid for finished job"));
        }

        var suspendedWithNoCompletions = n.Suspend && JsonPathExpression.ToLong(newJob["spec"]?["completions"]) == 0;
        if ((finishedChanged || startChanged) && !suspendedWithNoCompletions && n.StartText is null && n.Finished)
        {
            errors.Add(FieldError.Required("status.startTime", "startTime is required for finished job"));
        }

        if ((finishedChanged || uncountedChanged) && n.Finished && n.Status["uncountedTerminatedPods"] is JsonObject uncounted
            && uncounted.Select(p => (p.Value as JsonArray)?.Count ?? 0).Sum() > 0)
        {
            errors.Add(FieldError.Invalid("status.uncountedTerminatedPods", null, "uncountedTerminatedPods needs to be empty for finished job"));
        }

        if (completedIndexesChanged && n.Text("completedIndexes") is { Length: > 0 } completed && !n.Indexed)
        {
            errors.Add(FieldError.Invalid("status.completedIndexes", Quote(completed), "cannot set non-empty completedIndexes when non-indexed completion mode"));
        }

        if (failedIndexesChanged && newJob["spec"]?["backoffLimitPerIndex"] is null && n.Status["failedIndexes"] is { } failedIndexes)
        {
            errors.Add(FieldError.Invalid("status.failedIndexes", Quote(JsonPathExpression.ToText(failedIndexes)), "cannot set non-null failedIndexes when backoffLimitPerIndex is null"));
        }

        if ((finishedChanged || terminatingChanged) && n.Terminating > 0 && n.Finished)
        {
            errors.Add(FieldError.Invalid("status.terminating", Num(n.Terminating), "terminating>0 is invalid for finished job"));
        }

        if ((readyChanged || activeChanged) && n.Ready is { } ready && ready > n.Active)
        {
            errors.Add(FieldError.Invalid("status.ready", Num(ready), "cannot set more ready pods than active"));
        }

        if (n.SuccessCriteriaMet && n.Failed)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set SuccessCriteriaMet=True and Failed=true conditions"));
        }

        if (n.SuccessCriteriaMet && n.FailureTarget)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions"));
        }

        if (newJob["spec"]?["successPolicy"] is not null && !n.SuccessCriteriaMet && n.Complete)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True"));
        }

        // ValidateJobStatusUpdate: transitions.
        foreach (var (type, was, now) in new[] { ("Failed", o.Failed, n.Failed), ("Complete", o.Complete, n.Complete), ("FailureTarget", o.FailureTarget, n.FailureTarget) })
        {
            if (was && !now)
            {
                errors.Add(FieldError.Invalid("status.conditions", null, $"cannot disable the terminal {type}=True condition"));
            }
        }

        if (n.FailedCount < o.FailedCount)
        {
            errors.Add(FieldError.Invalid("status.failed", Num(n.FailedCount), "cannot decrease the failed counter"));
        }

        var completions = JsonPathExpression.ToLong(newJob["spec"]?["completions"]);
        var parallelism = JsonPathExpression.ToLong(newJob["spec"]?["parallelism"]);
        if ((!n.Indexed || completions != parallelism) && n.Succeeded < o.Succeeded)
        {
            errors.Add(FieldError.Invalid("status.succeeded", Num(n.Succeeded), "cannot decrease the succeeded counter"));
        }

        if (n.CompletionText is not null && o.CompletionText is not null && n.Completion != o.Completion)
        {
            errors.Add(FieldError.Invalid("status.completionTime", Quote(n.CompletionText), "completionTime cannot be mutated"));
        }

        if (o.StartText is not null && o.Start != n.Start && !n.Suspend)
        {
            errors.Add(FieldError.Required("status.startTime", "startTime cannot be removed for unsuspended job"));
        }

        if (o.SuccessCriteriaMet && !n.SuccessCriteriaMet)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot disable the SuccessCriteriaMet=True condition"));
        }

        if (o.Complete && !o.SuccessCriteriaMet && n.SuccessCriteriaMet)
        {
            errors.Add(FieldError.Invalid("status.conditions", null, "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions"));
        }

        return errors;
    }

    private static string Num(long? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? value) => $"\"{value}\"";

    /// <summary>The parts of a Job that the rules read.</summary>
    private sealed class JobView
    {
        public JobView(JsonObject job)
        {
            Status = job["status"] as JsonObject ?? [];
            var conditions = (Status["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            bool True(string type) => conditions.Any(c => Fields.String(c["type"]) == type && Fields.String(c["status"]) == "True");
            Complete = True("Complete");
            Failed = True("Failed");
            FailureTarget = True("FailureTarget");
            SuccessCriteriaMet = True("SuccessCriteriaMet");
            Active = JsonPathExpression.ToLong(Status["active"]) ?? 0;
            Succeeded = JsonPathExpression.ToLong(Status["succeeded"]) ?? 0;
            FailedCount = JsonPathExpression.ToLong(Status["failed"]) ?? 0;
            Ready = JsonPathExpression.ToLong(Status["ready"]);
            Terminating = JsonPathExpression.ToLong(Status["terminating"]);
            StartText = Fields.String(Status["startTime"]);
            CompletionText = Fields.String(Status["completionTime"]);
            Start = Time(StartText);
            Completion = Time(CompletionText);
            Suspend = job["spec"]?["suspend"]?.GetValue<bool>() == true;
            Indexed = Fields.String(job["spec"]?["completionMode"]) == "Indexed";
        }

        public JsonObject Status { get; }
        public bool Complete { get; }
        public bool Failed { get; }
        public bool FailureTarget { get; }
        public bool SuccessCriteriaMet { get; }
        public bool Finished => Complete || Failed;
        public long Active { get; }
        public long Succeeded { get; }
        public long FailedCount { get; }
        public long? Ready { get; }
        public long? Terminating { get; }
        public string? StartText { get; }
        public string? CompletionText { get; }
        public DateTimeOffset? Start { get; }
        public DateTimeOffset? Completion { get; }
        public bool Suspend { get; }
        public bool Indexed { get; }

        public string? Text(string field) => Fields.String(Status[field]);

        private static DateTimeOffset? Time(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
