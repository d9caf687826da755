namespace NetOpsBot.IosXe;

/// <summary>
/// Outcome of parsing one command output. A parser never guesses: when it does not recognise the
/// output it returns an unparsed result carrying the raw text so the caller can still show evidence.
/// </summary>
public sealed record ParseResult<T>
{
    internal ParseResult(bool isParsed, T? value, IReadOnlyList<string> warnings, string? reason, string? raw)
    {
        IsParsed = isParsed;
        Value = value;
        Warnings = warnings;
        Reason = reason;
        Raw = raw;
    }

    public bool IsParsed { get; }

    /// <summary>The typed result; non-null exactly when <see cref="IsParsed"/> is true.</summary>
    public T? Value { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Why the output was not understood (unparsed only).</summary>
    public string? Reason { get; }

    /// <summary>The original text (unparsed only), kept as evidence.</summary>
    public string? Raw { get; }
}

/// <summary>Factories for <see cref="ParseResult{T}"/> (kept non-generic so call sites infer T).</summary>
public static class ParseResult
{
    public static ParseResult<T> Parsed<T>(T value, IReadOnlyList<string>? warnings = null) =>
        new(true, value, warnings ?? [], null, null);

    public static ParseResult<T> Unparsed<T>(string reason, string? raw) =>
        new(false, default, [], reason, raw ?? string.Empty);

    /// <summary>
    /// Runs a parser body so that no exception ever escapes: the diagnosis must degrade to
    /// "could not parse" rather than crash on an odd firmware output.
    /// </summary>
    internal static ParseResult<T> Guard<T>(string? output, Func<string, ParseResult<T>> body)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return Unparsed<T>("empty output", output);
        }

        try
        {
            return body(output);
        }
#pragma warning disable CA1031 // Deliberate: parsers are a trust boundary for device text and must never throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Unparsed<T>("parser failure: " + ex.GetType().Name, output);
        }
    }
}
