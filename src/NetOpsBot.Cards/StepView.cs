namespace NetOpsBot.Cards;

/// <summary>
/// One runbook step on the card. <see cref="Finding"/>, <see cref="Evidence"/> come from the device and are
/// untrusted: every renderer escapes them for its target.
/// </summary>
public sealed record StepView(string Id, string Title, CardStepStatus Status)
{
    public string? Finding { get; init; }

    public IReadOnlyList<string> Evidence { get; init; } = [];

    public IReadOnlyList<string> Commands { get; init; } = [];

    public TimeSpan? Duration { get; init; }

    /// <summary>True when the step produced raw output worth a "full output" link or button.</summary>
    public bool HasFullOutput { get; init; }

    public Uri? FullOutputUrl { get; init; }
}
