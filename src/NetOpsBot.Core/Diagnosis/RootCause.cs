using System.Text.RegularExpressions;

namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// One root cause a runbook can conclude. Each runbook owns its catalogue (its definition's
/// <see cref="Runbooks.RunbookCause"/> entries); Core knows only the shared no-fault convention, <see cref="HealthyCode"/>.
/// <see cref="Code"/> is persisted and used by cards, tests and later issues: never rename one.
/// </summary>
public sealed partial record RootCause
{
    /// <summary>The code of every runbook's no-fault cause: "the device is fine, look elsewhere".</summary>
    public const string HealthyCode = "healthy";

    public RootCause(string code, string title, string explanation)
    {
        if (!CodePattern().IsMatch(code ?? string.Empty))
        {
            throw new ArgumentException($"root cause code '{code}' is not kebab-case", nameof(code));
        }

        Code = code!;
        Title = string.IsNullOrWhiteSpace(title) ? throw new ArgumentException($"root cause '{code}' needs a title", nameof(title)) : title;
        Explanation = explanation ?? string.Empty;
    }

    public string Code { get; }

    public string Title { get; }

    public string Explanation { get; }

    /// <summary>True for the no-fault cause of any runbook.</summary>
    public bool IsHealthy => IsHealthyCode(Code);

    public static bool IsHealthyCode(string? code) => string.Equals(code, HealthyCode, StringComparison.Ordinal);

    /// <summary>
    /// A cause rebuilt from what a stored verdict, plan or request kept of it; never throws. Without a stored title the
    /// title is the code (people read the cause's texts from the verdict and the runbook, not from here). A missing or
    /// malformed code reads as no fault.
    /// </summary>
    public static RootCause OfStoredCode(string? code, string? title = null, string? explanation = null)
    {
        var known = CodePattern().IsMatch(code ?? string.Empty) ? code! : HealthyCode;
        return new(known, string.IsNullOrWhiteSpace(title) ? known : title, explanation ?? string.Empty);
    }

    public override string ToString() => Code;

    [GeneratedRegex("^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
